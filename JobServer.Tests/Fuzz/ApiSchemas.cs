using System.Text.RegularExpressions;

namespace JobServer.Tests.Fuzz;

/// <summary>The request bodies of the API as the README documents them, each field with its rule and a harmless
/// valid value (jobs go to a queue no server works).</summary>
internal static partial class ApiSchemas
{
    public static readonly FieldRule Queue = new TextRule(1, 50, FuzzFixture.IdleQueue, QueuePattern()) { Nullable = true };

    public static readonly BodySchema SleepArgs = new(new FieldSpec("ms", new IntRule(0, 3_600_000), Literal.Number("0", "template")));

    public static readonly BodySchema FailArgs = new(
        new FieldSpec("message", new TextRule(1, 500, "boom") { NotBlank = true }, Literal.String("boom", "template")),
        new FieldSpec("succeedAfter", new TemplateOnlyRule { Nullable = true }));

    public static readonly BodySchema CpuArgs = new(new FieldSpec("n", new IntRule(2, 50_000_000), Literal.Number("2", "template"), Required: true));

    public static readonly BodySchema HttpAggregateArgs = new(
        new FieldSpec("urls", new UrlListRule(), Literal.Raw("[\"http://x.example\"]", "template"), Required: true),
        new FieldSpec("maxParallelism", new IntRule(1, 32), Literal.Number("8", "template")),
        new FieldSpec("timeoutMs", new IntRule(100, 60_000), Literal.Number("5000", "template")));

    /// <summary>The bulk insert's fields; its endpoint takes them at the top of the body, where a null means the default.</summary>
    public static FieldSpec[] BulkInsertFields(bool nullMeansDefault) =>
    [
        new("rows", new IntRule(1, 10_000_000), Literal.Number("10", "template"), Required: true),
        new("project", new TextRule(1, 64, "fz") { NotBlank = true }, Literal.String("fz", "template"), Required: true),
        new("name", new TextRule(1, 64, "nameJams") { Nullable = nullMeansDefault, NotBlank = true }, Literal.String("n", "template")),
        new("chunkSize", new IntRule(1_000, 1_000_000) { Nullable = true }, Literal.Number("1000", "template")),
    ];

    public static readonly BodySchema BulkInsertArgs = new(BulkInsertFields(nullMeansDefault: false));

    public static readonly BodySchema BulkInsertBody = new([.. BulkInsertFields(nullMeansDefault: true), .. Scheduling()]);

    /// <summary>The job types the fuzzer sends to <c>POST /api/jobs</c>, with their arguments.</summary>
    public static readonly IReadOnlyList<(string Type, BodySchema Args)> JobTypes =
    [
        ("sleep", SleepArgs), ("fail", FailArgs), ("cpu", CpuArgs), ("http-aggregate", HttpAggregateArgs), ("bulk-insert", BulkInsertArgs),
    ];

    /// <summary>The body of <c>POST /api/jobs</c>; a continuation sends <paramref name="parentId"/> as <c>after</c>. Any
    /// other job may name no parent: the only valid one is never generated but for a continuation.</summary>
    public static BodySchema Job(string type, BodySchema args, long parentId, bool continuation = false) => new(
    [
        new FieldSpec("type", new OneOfRule(type), Literal.String(type, "template"), Required: true),
        new FieldSpec("args", new ObjectRule(args) { Nullable = args.Fields.All(f => !f.Required) }, Required: args.Fields.Any(f => f.Required)),
        new FieldSpec("after", new JobIdRule(parentId) { Nullable = true }, continuation ? Literal.Number($"{parentId}", "template") : null),
        new FieldSpec("continueOn", continuation ? new OneOfRule("success", "anyFinalState") { Nullable = true } : new TemplateOnlyRule { Nullable = true }),
        .. Scheduling(),
    ]);

    public static readonly BodySchema Recurring = new(
        new FieldSpec("cron", new TemplateOnlyRule("0 0 1 1 *"), Literal.String("0 0 1 1 *", "template"), Required: true),
        new FieldSpec("type", new OneOfRule("sleep"), Literal.String("sleep", "template"), Required: true),
        new FieldSpec("args", new ObjectRule(SleepArgs) { Nullable = true }),
        new FieldSpec("timeZone", new TemplateOnlyRule("Europe/Berlin") { Nullable = true, TrimmedMaxLength = 64 }, Literal.String("Europe/Berlin", "template")),
        new FieldSpec("queue", Queue, Literal.String(FuzzFixture.IdleQueue, "template")),
        new FieldSpec("misfire", new OneOfRule("fireOnce", "skip") { Nullable = true }, Literal.String("skip", "template")));

    /// <summary>Recurring ids: 1-100 of letters, digits, '.', '_', ':' or '-'.</summary>
    public static readonly TextRule RecurringId = new(1, 100, "fz-r", RecurringIdPattern());

    /// <summary>queue, and delay or runAt (which a continuation may not have): hostile text is never a valid time.</summary>
    private static FieldSpec[] Scheduling() =>
    [
        new("queue", Queue, Literal.String(FuzzFixture.IdleQueue, "template")),
        new("delay", new TemplateOnlyRule { Nullable = true }),
        new("runAt", new TemplateOnlyRule { Nullable = true }),
    ];

    public static bool IsQueueName(string text) => QueuePattern().IsMatch(text);

    /// <summary>ASCII digits only (no sign, no space, no NUL), within the range.</summary>
    public static bool IsWholeNumber(string text, long min, long max) =>
        DigitsOnly().IsMatch(text) && long.TryParse(text, out var n) && n >= min && n <= max;

    [GeneratedRegex(@"^[a-z0-9_-]{1,50}\z")]
    private static partial Regex QueuePattern();

    [GeneratedRegex(@"^[0-9]+\z")]
    private static partial Regex DigitsOnly();

    [GeneratedRegex(@"^[A-Za-z0-9._:-]{1,100}\z")]
    private static partial Regex RecurringIdPattern();
}
