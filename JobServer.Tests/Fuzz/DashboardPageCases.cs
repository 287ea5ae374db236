namespace JobServer.Tests.Fuzz;

/// <summary>Generated dashboard page requests: garbage job ids, queue names, list positions and page sizes, asset names,
/// the Bulk inserts page's <c>started</c>, and garbage query strings on every page. Reads change nothing; never a 5xx.</summary>
internal sealed class DashboardPageCases(Random random)
{
    private const string D = FuzzFixture.Dashboard;

    private static readonly string[] Lists =
    [
        "/jobs/enqueued", "/jobs/scheduled", "/jobs/processing", "/jobs/succeeded", "/jobs/failed", "/jobs/deleted", "/jobs/awaiting",
        "/recurring", "/servers", "/retries", "/bulk-inserts", "",
    ];

    private static readonly string[] Segments = ["/jobs/details/", "/jobs/enqueued/", "/jobs/enqueued/fetched/", "/", "/jobs/progress/"];

    public IEnumerable<FuzzCase> Next(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var (text, @class) = HostileStrings.Next(random);
            if (!UrlText.IsPathSegment(text))
            {
                text = "x" + text.Replace("\0", "");
            }

            yield return random.Next(3) switch
            {
                0 => new FuzzCase($"segment {@class} {BodyModel.Excerpt(text, 30)}", HttpMethod.Get, D + HostileStrings.Pick(random, Segments) + UrlText.Escape(text), Outcome.Harmless),
                1 => new FuzzCase($"list query {@class}", HttpMethod.Get, $"{D}{HostileStrings.Pick(random, Lists)}?{Query(text)}", Outcome.Harmless),
                _ => new FuzzCase($"stats poll {@class}", HttpMethod.Post, $"{D}/stats", Outcome.Harmless)
                {
                    Body = FormBody.Encode([new("metrics[]", text), new("metrics[]", "enqueued:count")], multipart: false).Body,
                    ContentType = FormBody.UrlEncoded,
                },
            };
        }
    }

    private string Query(string text)
    {
        var name = HostileStrings.Pick(random, ["from", "count", "started", "q", text]);
        return $"{UrlText.Escape(name)}={UrlText.Escape(random.Next(2) == 0 ? text : HostileStrings.Pick(random, ["-1", "0", "2147483648", "1e9", "NaN", "99999999999"]))}";
    }
}
