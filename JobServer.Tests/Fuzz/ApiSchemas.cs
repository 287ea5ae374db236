using System.Text.RegularExpressions;

namespace JobServer.Tests.Fuzz;

/// <summary>The request bodies of the API as <c>docs/readme-parts/api.md</c> and the argument classes state them, each
/// field with its rule and a harmless valid value (jobs go to a queue no server works; the fuzz host processes nothing).</summary>
internal static partial class ApiSchemas
{
    public static readonly FieldRule Queue = new TextRule(1, 50, FuzzFixture.IdleQueue, QueuePattern()) { Nullable = true };

    public static readonly BodySchema SleepArgs = new(new FieldSpec("ms", new IntRule(0, 3_600_000), Literal.Number("0", "template")));

    public static readonly BodySchema FailArgs = new(
        new FieldSpec("message", new TextRule(1, 500, "boom"), Literal.String("boom", "template")),
        new FieldSpec("succeedAfter", new TemplateOnlyRule { Nullable = true }));

    public static readonly BodySchema CpuArgs = new(new FieldSpec("n", new IntRule(2, 50_000_000), Literal.Number("2", "template"), Required: true));

    public static readonly BodySchema HttpAggregateArgs = new(
        new FieldSpec("urls", new UrlListRule(), Literal.Raw("[\"http://x.example\"]", "template"), Required: true),
        new FieldSpec("maxParallelism", new IntRule(1, 32), Literal.Number("8", "template")),
        new FieldSpec("timeoutMs", new IntRule(100, 60_000), Literal.Number("5000", "template")));

    public static readonly BodySchema ReportArgs = new();

    /// <summary>The bulk insert's fields; its endpoint takes them at the top of the body, where a null means the default.</summary>
    public static FieldSpec[] BulkInsertFields(bool nullMeansDefault) =>
    [
        new("rows", new IntRule(1, 10_000_000), Literal.Number("10", "template"), Required: true),
        new("project", new TextRule(1, 64, "fz"), Literal.String("fz", "template"), Required: true),
        new("name", new TextRule(1, 64, "nameJams") { Nullable = nullMeansDefault }, Literal.String("n", "template")),
        new("chunkSize", new IntRule(1_000, 1_000_000) { Nullable = true }, Literal.Number("1000", "template")),
    ];

    public static readonly BodySchema BulkInsertArgs = new(BulkInsertFields(nullMeansDefault: false));

    public static readonly BodySchema BulkInsertBody = new([.. BulkInsertFields(nullMeansDefault: true), .. Scheduling(Queue)]);

    /// <summary>The job types the fuzzer sends to <c>POST /api/jobs</c>, with their arguments.</summary>
    public static readonly IReadOnlyList<(string Type, BodySchema Args)> JobTypes =
    [
        ("sleep", SleepArgs), ("fail", FailArgs), ("cpu", CpuArgs), ("http-aggregate", HttpAggregateArgs), ("report", ReportArgs),
        ("bulk-insert", BulkInsertArgs),
    ];

    /// <summary>The types a batch takes: bulk-insert (a Reject-mode concurrency limit) is refused in a batch.</summary>
    public static readonly IReadOnlyList<(string Type, BodySchema Args)> BatchJobTypes = [.. JobTypes.Where(t => t.Type != "bulk-insert")];

    /// <summary>The body of <c>POST /api/jobs</c>; a continuation sends <paramref name="parentId"/> as <c>after</c>. Any
    /// other job may name no parent: the only valid one is never generated but for a continuation. A cpu job is pinned
    /// to the cpu queue (<c>[Queue]</c>): it takes no other.</summary>
    public static BodySchema Job(string type, BodySchema args, long parentId, bool continuation = false) => new(
    [
        new FieldSpec("type", new OneOfRule(type), Literal.String(type, "template"), Required: true),
        new FieldSpec("args", new ObjectRule(args) { Nullable = args.Fields.All(f => !f.Required) }, Required: args.Fields.Any(f => f.Required)),
        new FieldSpec("after", new JobIdRule(parentId) { Nullable = true }, continuation ? Literal.Number($"{parentId}", "template") : null),
        new FieldSpec("continueOn", continuation ? new OneOfRule("success", "anyFinalState") { Nullable = true } : new TemplateOnlyRule { Nullable = true }),
        .. Scheduling(type == "cpu" ? new OneOfRule("cpu") { Nullable = true } : Queue, withQueue: type != "cpu"),
    ]);

    /// <summary>Time zones: the template, UTC, and names that are files, folders or paths under the zone database.</summary>
    public static readonly ListedRule TimeZone = new(
        "Europe/Berlin",
        ("UTC", true), ("Etc/GMT+5", true), ("Europe", null), ("Europe/", null), ("../../../../etc/passwd", null), ("../../../../etc", null),
        ("/etc/localtime", null), ("posixrules", null), ("Europe/Berlin/..", null), ("", false), (" ", false), (new string('A', 65), false))
    { Nullable = true };

    /// <summary>Cron: five fields, six with seconds first, or a macro. Only expressions that never fire in test time are accepted.</summary>
    public static readonly ListedRule Cron = new(
        "0 0 1 1 *",
        ("0 0 31 2 *", null), ("0 0 0 1 1 *", true), ("@yearly", true), ("0 0 1 1", false), ("0 0 0 0 1 1 *", false), ("60 0 1 1 *", false),
        ("0 0 1 13 *", false), ("* * * * * * * * *", false), ("0 0 1 1 * ", null), ("0\t0\t1\t1\t*", null), ("@never", null), ("", false), ("0 0 1 1 " + new string('*', 100), false));

    /// <summary>Hangfire's misfire modes by name in any case; numbers refused.</summary>
    public static readonly ListedRule Misfire = new(
        "relaxed",
        ("strict", true), ("Ignorable", true), ("RELAXED", true), ("0", false), ("1", false), ("-1", false), ("+1", null), ("relaxed,strict", null), ("", false))
    { Nullable = true, Judge = text => Enum.GetNames<Hangfire.MisfireHandlingMode>().Contains(text, StringComparer.OrdinalIgnoreCase) ? true : text.Trim().Length != text.Length || text.Contains(',') ? null : false };

    public static readonly BodySchema Recurring = new(
        new FieldSpec("cron", Cron, Literal.String("0 0 1 1 *", "template"), Required: true),
        new FieldSpec("type", new OneOfRule("sleep"), Literal.String("sleep", "template"), Required: true),
        // Unlike POST /api/jobs, a recurring definition takes no null args (RecurringBadInputTests holds it to a 400).
        new FieldSpec("args", new ObjectRule(SleepArgs)),
        new FieldSpec("timeZone", TimeZone, Literal.String("Europe/Berlin", "template")),
        new FieldSpec("queue", Queue, Literal.String(FuzzFixture.IdleQueue, "template")),
        new FieldSpec("misfire", Misfire, Literal.String("relaxed", "template")));

    /// <summary>Recurring ids: 1-80 of letters, digits, '.', '_', ':' or '-'.</summary>
    public static readonly TextRule RecurringId = new(1, 80, "fz-r", RecurringIdPattern());

    /// <summary>queue, and delay or runAt (which a continuation may not have): hostile text is never a valid time.</summary>
    private static FieldSpec[] Scheduling(FieldRule queue, bool withQueue = true) =>
    [
        new("queue", queue, withQueue ? Literal.String(FuzzFixture.IdleQueue, "template") : null),
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

    [GeneratedRegex(@"^[A-Za-z0-9._:-]{1,80}\z")]
    private static partial Regex RecurringIdPattern();
}
