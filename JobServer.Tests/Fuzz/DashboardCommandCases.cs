namespace JobServer.Tests.Fuzz;

/// <summary>
/// Generated requests to Hangfire's own dashboard commands (see its <c>DashboardRoutes</c>): the batch commands, which
/// read the ids from the form field <c>jobs[]</c>, and the job actions, which take the id from the path. No generated
/// id names an existing job or recurring job (a recurring id may miss a defined one by a space or a letter's case), so
/// nothing may change: a batch of such ids is 204 with no effect, no ids 422, an action on no job 422, and a form
/// no server should read (ten megabytes in a value, thousands of fields, a NUL) a 400, or in multipart a 4xx or no effect — never a 5xx.
/// </summary>
internal sealed class DashboardCommandCases(Random random, string header, string token, string definedRecurringId)
{
    public const string IdsField = "jobs[]";

    public static readonly string[] JobBatchCommands =
    [
        "/jobs/enqueued/delete", "/jobs/enqueued/requeue", "/jobs/processing/delete", "/jobs/processing/requeue",
        "/jobs/scheduled/enqueue", "/jobs/scheduled/delete", "/jobs/succeeded/requeue", "/jobs/failed/requeue",
        "/jobs/failed/delete", "/jobs/deleted/requeue", "/jobs/awaiting/enqueue", "/jobs/awaiting/delete",
    ];

    public static readonly string[] RecurringBatchCommands = ["/recurring/remove", "/recurring/trigger"];

    public static readonly string[] JobActions = ["/jobs/actions/requeue/", "/jobs/actions/delete/"];

    // Ids of no job: the database holds a few hundred small ids, and none of these parses as one of them.
    private static readonly string[] NoSuchJobIds =
    [
        "0", "-1", "+5", " 1", "1 ", "1e3", "0x10", "9223372036854775807", "9223372036854775808", "18446744073709551616",
        "123456789012345", "1.0", "", "١٢٣", "２", "1,2", "jobs[]", "null", "undefined",
    ];

    /// <summary>Commands with a valid antiforgery token in the header Hangfire's script uses, and hostile ids and fields.</summary>
    public IEnumerable<FuzzCase> Commands(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var roll = random.Next(10);
            var fuzzCase = roll switch
            {
                < 5 => JobBatch(),
                < 7 => RecurringBatch(),
                _ => JobAction(),
            };

            yield return fuzzCase with { Headers = [new(header, token)] };
        }
    }

    /// <summary>Commands whose token is missing, hostile, altered, or in the form under a look-alike name: 403, nothing changed.</summary>
    public IEnumerable<FuzzCase> TokenProblems(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var command = random.Next(3) == 0 ? JobAction() : JobBatch();
            var (label, headers) = random.Next(4) switch
            {
                0 => ("no token", Array.Empty<KeyValuePair<string, string>>()),
                1 => ("hostile token", [new(header, HostileStrings.NextValid(random, 200).Text.Replace("\r", "").Replace("\n", ""))]),
                2 => ("altered token", [new(header, token[..^2] + (token[^1] == 'A' ? "BB" : "AA"))]),
                // Header names compare ignoring case: another case is the same header, so it is not a look-alike.
                _ => ("token in a header of a look-alike name", [new(HostileStrings.NearMiss(random, header).Text.Trim() is { Length: > 0 } name
                    && !string.Equals(name, header, StringComparison.OrdinalIgnoreCase) && IsHeaderName(name) ? name : header + "-x", token)]),
            };
            yield return command with { Label = $"{label}; {command.Label}", Expected = Outcome.Refused, Headers = headers };
        }
    }

    private FuzzCase JobBatch()
    {
        var url = FuzzFixture.Dashboard + HostileStrings.Pick(random, JobBatchCommands);
        var ids = Ids(() => random.Next(2) == 0 ? $"{random.NextInt64(1_000_000_000_000, long.MaxValue)}" : HostileId());
        return Form($"{ids.Count} ids, first {(ids.Count > 0 ? BodyModel.Excerpt(ids[0], 40) : "-")}", url, ids);
    }

    private FuzzCase RecurringBatch()
    {
        var url = FuzzFixture.Dashboard + HostileStrings.Pick(random, RecurringBatchCommands);
        var ids = Ids(() => random.Next(3) == 0 ? HostileStrings.NearMiss(random, definedRecurringId).Text : HostileStrings.Next(random).Text);
        return Form($"recurring {ids.Count} ids, first {(ids.Count > 0 ? BodyModel.Excerpt(ids[0], 40) : "-")}", url, ids);
    }

    /// <summary>An action on one job, the id in the path: ChangeState finds no job, Hangfire answers 422.</summary>
    private FuzzCase JobAction()
    {
        var id = random.Next(2) == 0 ? HostileId() : HostileStrings.Next(random).Text;
        if (!UrlText.IsPathSegment(id))
        {
            id = "x" + id.Replace("\0", "");
        }

        var url = FuzzFixture.Dashboard + HostileStrings.Pick(random, JobActions) + UrlText.Escape(id);
        var (body, contentType) = FormBody.Encode([new("note", HostileStrings.Next(random).Text)], multipart: random.Next(4) == 0);
        return new FuzzCase($"action on id {BodyModel.Excerpt(id, 40)}", HttpMethod.Post, url, Outcome.Refused) { Body = body, ContentType = contentType };
    }

    /// <summary>0 to 3 ids, or a hundred and more.</summary>
    private List<string> Ids(Func<string> next)
    {
        var count = random.Next(10) == 0 ? random.Next(101, 300) : random.Next(0, 4);
        return Enumerable.Range(0, count).Select(_ => next()).ToList();
    }

    /// <summary>The ids as Hangfire's script posts them, plus sometimes what no server should read.</summary>
    private FuzzCase Form(string label, string url, List<string> ids)
    {
        var fields = ids.Select(id => KeyValuePair.Create(IdsField, id)).ToList();
        var multipart = random.Next(4) == 0;
        var expected = ids.Count == 0 ? Outcome.Refused : Outcome.NoEffect;
        switch (random.Next(40))
        {
            case 0:
                fields.Add(new("note", new string('x', 10 * 1024 * 1024)));
                (label, expected) = (label + "; a 10 MB value", Outcome.Harmless);
                break;
            case 1:
                fields.AddRange(Enumerable.Range(0, 2_000).Select(i => KeyValuePair.Create($"f{i}", "x")));
                (label, expected) = (label + "; 2,000 fields", Outcome.Harmless);
                break;
            case 2:
                fields.Add(new(new string('k', 3_000), "x"));
                (label, expected) = (label + "; a 3,000-character name", Outcome.Harmless);
                break;
            case < 12:
                var (name, @class) = HostileStrings.Next(random);
                fields.Add(new(name.Length > 200 ? name[..200] : name, HostileStrings.Next(random).Text));
                label += $"; unknown field {@class}";
                break;
        }

        // ASP.NET Core's URL-encoded form reader refuses a NUL, over 1,024 fields, a name over 2 KB or a value over 4 MB:
        // 400 (the form could not be read). The multipart reader has limits of its own; what it does is harmless.
        if (!multipart && (expected == Outcome.Harmless || fields.Any(f => f.Key.Contains('\0') || f.Value.Contains('\0'))))
        {
            expected = Outcome.Refused;
        }

        var (body, contentType) = FormBody.Encode(fields.OrderBy(_ => random.Next()), multipart);
        return new FuzzCase(label + (multipart ? " (multipart)" : ""), HttpMethod.Post, url, expected) { Body = body, ContentType = contentType };
    }

    private string HostileId() => random.Next(2) == 0 ? HostileStrings.Pick(random, NoSuchJobIds) : HostileStrings.Next(random).Text;

    private static bool IsHeaderName(string name) => name.All(c => c is > ' ' and < (char)127 and not (':' or '(' or ')' or ',' or '/' or ';' or '<' or '=' or '>' or '?' or '@' or '[' or '\\' or ']' or '{' or '}' or '"'));
}
