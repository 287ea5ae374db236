namespace JobServer.Tests.Fuzz;

/// <summary>Generated dashboard page requests: job lists with hostile states, filters and keyset positions (judged by
/// the page's rules), garbage job ids, asset names and paths, garbage query strings on every page, garbage cookies.</summary>
internal sealed class DashboardPageCases(Random random)
{
    private static readonly string[] Slugs = ["enqueued", "scheduled", "awaiting", "processing", "succeeded", "failed", "deleted"];

    private static readonly string[] Pages = ["/dashboard", "/dashboard/recurring", "/dashboard/servers", "/dashboard/queues", "/dashboard/api/stats", "/dashboard/api/history"];

    public IEnumerable<FuzzCase> Next(int count)
    {
        for (var i = 0; i < count; i++)
        {
            yield return random.Next(10) switch
            {
                < 5 => JobList(),
                5 => Path("job id", "/dashboard/jobs/", Outcome.Refused),
                6 => Path("asset", "/dashboard/assets/", Outcome.Refused),
                7 => Path("page", "/dashboard/", Outcome.Refused),
                8 => GarbageQuery(),
                _ => GarbageCookies(),
            };
        }
    }

    private FuzzCase JobList()
    {
        var (slug, slugClass) = random.Next(4) == 0 ? HostileStrings.Next(random) : (HostileStrings.Pick(random, Slugs), "state");
        var valid = Slugs.Contains(slug) || !UrlText.IsPathSegment(slug);
        var query = new List<string>();
        var label = $"list {slugClass} {BodyModel.Excerpt(slug, 30)}";
        foreach (var (name, sample, accepts) in Filters)
        {
            if (random.Next(3) == 0)
            {
                continue;
            }

            var (value, @class) = random.Next(2) == 0 ? (sample, "valid") : random.Next(3) == 0 ? HostileStrings.NearMiss(random, sample) : HostileStrings.Next(random);
            valid &= accepts(UrlText.Decoded(value));
            query.Add($"{name}={UrlText.Escape(value)}");
            label += $", {name} {@class}";
        }

        // An empty state is another page (the overview's jobs link has none); not a list at all.
        var url = UrlText.IsPathSegment(slug) ? $"/dashboard/jobs/{UrlText.Escape(slug)}?{string.Join("&", query)}" : $"/dashboard/jobs/failed?{string.Join("&", query)}";
        return new FuzzCase(label, HttpMethod.Get, url, valid ? Outcome.Read : Outcome.Refused);
    }

    /// <summary>The list filters as the page reads them: blank means none, the rest is trimmed; "before" is a job id.</summary>
    private static readonly (string Name, string Sample, Func<string, bool> Accepts)[] Filters =
    [
        ("queue", "default", v => string.IsNullOrWhiteSpace(v) || ApiSchemas.IsQueueName(v.Trim())),
        ("type", "sleep", v => string.IsNullOrWhiteSpace(v) || v.Trim().Length <= 100),
        ("before", "12", v => ApiSchemas.IsWholeNumber(v, 1, long.MaxValue)),
    ];

    /// <summary>A hostile segment under <paramref name="prefix"/>: nothing there to find.</summary>
    private FuzzCase Path(string what, string prefix, Outcome expected)
    {
        var (segment, @class) = HostileStrings.Next(random);
        if (!UrlText.IsPathSegment(segment))
        {
            segment = "x" + segment.Replace("\0", "");
        }

        return new FuzzCase($"{what} ← {@class} {BodyModel.Excerpt(segment, 30)}", HttpMethod.Get, prefix + UrlText.Escape(segment), expected);
    }

    private FuzzCase GarbageQuery()
    {
        var (name, nameClass) = HostileStrings.Next(random);
        var (value, valueClass) = HostileStrings.Next(random);
        var page = random.Next(4) == 0 ? "/dashboard/assets/dashboard.css" : HostileStrings.Pick(random, Pages);
        var query = random.Next(2) == 0 ? $"v={UrlText.Escape(value)}" : $"{UrlText.Escape(name)}={UrlText.Escape(value)}";
        return new FuzzCase($"{page} ignores ?{nameClass}={valueClass}", HttpMethod.Get, $"{page}?{query}", Outcome.Read);
    }

    /// <summary>A flash message or antiforgery cookie that no server wrote: the page reads what it can and answers.</summary>
    private FuzzCase GarbageCookies()
    {
        var (value, @class) = HostileStrings.Next(random);
        var name = random.Next(2) == 0 ? "JobServer.Dashboard.Flash" : ".AspNetCore.Antiforgery.fuzz";
        var cookie = $"{name}={(random.Next(2) == 0 ? "e:" : "")}{UrlText.Escape(value)}";
        return new FuzzCase($"cookie {name} ← {@class}", HttpMethod.Get, HostileStrings.Pick(random, Pages[..4]), Outcome.Read) { Headers = [new("Cookie", cookie)] };
    }
}
