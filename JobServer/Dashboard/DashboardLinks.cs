using JobServer.Engine.States;

namespace JobServer.Dashboard;

/// <summary>
/// Every URL the dashboard renders, in one place: absolute paths under the app's path base and the configured
/// dashboard path, so a page at <c>/dashboard</c> and one at <c>/dashboard/jobs/42</c> link alike.
/// </summary>
internal sealed class DashboardLinks(string pathBase, string dashboardPath, string assetVersion)
{
    public string Home { get; } = pathBase + dashboardPath;

    public string Recurring => Home + "/recurring";

    public string Servers => Home + "/servers";

    public string Queues => Home + "/queues";

    public string StatsJson => Home + "/api/stats";

    public string HistoryJson => Home + "/api/history";

    public string RequeueJobs => Home + "/jobs/requeue";

    public string DeleteJobs => Home + "/jobs/delete";

    public string Job(long id) => $"{Home}/jobs/{id}";

    /// <summary>The public JSON API's job resource, which the job page polls for live progress.</summary>
    public string ApiJob(long id) => $"{pathBase}/api/jobs/{id}";

    public string Asset(string name) => $"{Home}/assets/{name}?v={assetVersion}";

    public string RecurringAction(string action) => $"{Recurring}/{action}";

    public string Jobs(JobState state, string? queue = null, string? type = null, long? before = null) =>
        Home + "/jobs/" + Slug(state) + QueryString.Create(new Dictionary<string, string?>
        {
            ["queue"] = queue,
            ["type"] = type,
            ["before"] = before?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }.Where(p => p.Value is not null));

    /// <summary>True for a path (with query) inside this dashboard: the only places an action may redirect back to,
    /// so a forged return address cannot send the browser elsewhere (no open redirect). No "." or ".." segment either,
    /// not even percent-encoded: a browser resolves "/dashboard/../api" to "/api".</summary>
    public bool IsInside(string? url) =>
        url is not null
        && url.StartsWith(Home, StringComparison.Ordinal)
        && (url.Length == Home.Length || url[Home.Length] is '/' or '?')
        && !url.Contains("//", StringComparison.Ordinal)
        && !url.Contains('\\')
        && url.All(c => c > ' ' && c < 0x7f)
        && !url.Split('?', 2)[0].Split('/').Any(segment => Uri.UnescapeDataString(segment) is "." or "..");

    public static string Slug(JobState state) => state.ToString().ToLowerInvariant();

    public static JobState? ParseSlug(string slug)
    {
        foreach (var state in Enum.GetValues<JobState>())
        {
            if (Slug(state) == slug)
            {
                return state;
            }
        }

        return null;
    }
}
