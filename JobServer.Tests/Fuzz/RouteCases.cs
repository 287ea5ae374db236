namespace JobServer.Tests.Fuzz;

/// <summary>Generated garbage where the API takes no body: route ids (<c>/api/jobs/{id}</c> and its actions,
/// <c>/api/recurring/{id}</c> and its actions), wrong methods, and the query strings of the list endpoints.</summary>
internal sealed class RouteCases(Random random, ISet<string> recurringIds)
{
    private static readonly string[] JobTypeNames = ["sleep", "fail", "cpu", "http-aggregate", "bulk-insert", "report"];

    private static readonly string[] JobStates = ["Enqueued", "Scheduled", "Awaiting", "Processing", "Succeeded", "Failed", "Deleted"];

    // Never a number the route reads as an existing job: it takes a sign and surrounding spaces (" 1" is job 1).
    private static readonly string[] NoSuchJobIds = ["0", "-1", "-0", "1e3", "0x10", "9223372036854775807", "9223372036854775808", "18446744073709551616", "123456789012345", "1.0", "%20", "1%7F"];

    /// <summary>Job routes with ids that name no job: every answer a 4xx problem, nothing changed.</summary>
    public IEnumerable<FuzzCase> JobRoutes(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var (id, @class) = random.Next(3) == 0 ? (HostileStrings.Pick(random, NoSuchJobIds), "no-such-id") : NextSegment();
            var segment = @class == "no-such-id" ? id : UrlText.Escape(id);
            var (method, url) = HostileStrings.Pick(random, JobRoute(segment));
            yield return new FuzzCase($"job id ← {@class} {BodyModel.Excerpt(id)}", method, url, Outcome.Refused);
        }
    }

    /// <summary>Recurring routes: a defined id steers its definition; anything else is a 4xx and changes nothing.</summary>
    public IEnumerable<FuzzCase> RecurringRoutes(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var defined = recurringIds.Order(StringComparer.Ordinal).ToList();
            var roll = random.Next(10);
            var (id, @class) = defined.Count > 0 && roll < 2
                ? roll == 0 ? (HostileStrings.Pick(random, defined), "defined-id") : HostileStrings.NearMiss(random, HostileStrings.Pick(random, defined))
                : NextSegment();
            if (!UrlText.IsPathSegment(id))
            {
                continue;
            }

            var (method, action) = HostileStrings.Pick(random, RecurringActions);
            var exists = recurringIds.Contains(UrlText.Decoded(id));
            var expected = !exists ? Outcome.Refused : action == "" && method == HttpMethod.Get ? Outcome.Read : Outcome.Accepted;
            if (exists && method == HttpMethod.Delete)
            {
                recurringIds.Remove(UrlText.Decoded(id));
            }

            yield return new FuzzCase($"recurring id ← {@class} {BodyModel.Excerpt(id)}", method, $"/api/recurring/{UrlText.Escape(id)}{action}", expected);
        }
    }

    /// <summary><c>GET /api/jobs</c> with each parameter absent, valid, or hostile; judged by the documented rules.</summary>
    public IEnumerable<FuzzCase> ListQueries(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var parameters = new List<(string Name, string Value, bool Valid)>();
            Add(parameters, "state", HostileStrings.Pick(random, JobStates), v => JobStates.Contains(v, StringComparer.OrdinalIgnoreCase));
            Add(parameters, "queue", "default", ApiSchemas.IsQueueName);
            Add(parameters, "type", HostileStrings.Pick(random, JobTypeNames), v => JobTypeNames.Contains(v, StringComparer.Ordinal));
            Add(parameters, "page", "2", v => v.Length <= 7 && ApiSchemas.IsWholeNumber(v, 1, 1_000_000));
            Add(parameters, "pageSize", "500", v => v.Length <= 7 && ApiSchemas.IsWholeNumber(v, 1, 500));
            var expected = parameters.All(p => p.Valid) ? Outcome.Read : Outcome.Refused;
            var query = string.Join("&", parameters.Select(p => $"{p.Name}={UrlText.Escape(p.Value)}"));
            var label = string.Join(", ", parameters.Where(p => !p.Valid).Select(p => $"{p.Name}={BodyModel.Excerpt(p.Value, 30)}"));
            yield return new FuzzCase($"list query {(label.Length == 0 ? "valid" : label)}", HttpMethod.Get, "/api/jobs?" + query, expected);
        }
    }

    /// <summary>The other reads: the row count by project (at most one, 1-64 characters) and lists that take no query.</summary>
    public IEnumerable<FuzzCase> OtherQueries(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var (value, @class) = HostileStrings.Next(random);
            var projects = random.Next(4) == 0 ? 2 : 1;
            var valid = projects == 1 && UrlText.Decoded(value).Length is >= 1 and <= 64;
            var query = string.Join("&", Enumerable.Repeat($"project={UrlText.Escape(value)}", projects));
            yield return new FuzzCase($"count ?project ×{projects} ← {@class}", HttpMethod.Get, "/api/bulk-insert/count?" + query, valid ? Outcome.Read : Outcome.Refused);
            var list = HostileStrings.Pick(random, ["/api/recurring", "/api/servers", "/api/stats", "/health"]);
            yield return new FuzzCase($"{list} ignores ?{@class}", HttpMethod.Get, $"{list}?{UrlText.Escape(value)}={UrlText.Escape(value)}", Outcome.Read);
        }
    }

    private static readonly (HttpMethod Method, string Action)[] RecurringActions =
    [
        (HttpMethod.Get, ""), (HttpMethod.Delete, ""), (HttpMethod.Post, "/trigger"), (HttpMethod.Post, "/pause"), (HttpMethod.Post, "/resume"),
    ];

    private static (HttpMethod, string)[] JobRoute(string id) =>
    [
        (HttpMethod.Get, $"/api/jobs/{id}"), (HttpMethod.Delete, $"/api/jobs/{id}"), (HttpMethod.Post, $"/api/jobs/{id}/requeue"),
        (HttpMethod.Put, $"/api/jobs/{id}"), (HttpMethod.Patch, $"/api/jobs/{id}"), (HttpMethod.Post, $"/api/jobs/{id}/{id}"),
    ];

    private (string Text, string Class) NextSegment()
    {
        while (true)
        {
            var (text, @class) = HostileStrings.Next(random);
            if (UrlText.IsPathSegment(text))
            {
                return (text, @class);
            }
        }
    }

    /// <summary>Adds the parameter (or not): valid, or hostile for a third of the time it is present.</summary>
    private void Add(List<(string, string, bool)> parameters, string name, string valid, Func<string, bool> accepts)
    {
        switch (random.Next(6))
        {
            case < 2:
                return;
            case < 4:
                parameters.Add((name, valid, true));
                return;
            default:
                var (value, _) = random.Next(3) == 0 ? HostileStrings.NearMiss(random, valid) : HostileStrings.Next(random);
                parameters.Add((name, value, accepts(UrlText.Decoded(value))));
                return;
        }
    }
}
