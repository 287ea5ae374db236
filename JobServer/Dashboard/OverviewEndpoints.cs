using JobServer.Dashboard.Html;
using JobServer.Dashboard.Pages;
using JobServer.Storage;

namespace JobServer.Dashboard;

/// <summary>The overview page and the two small JSON documents its script polls: counts and all-time totals every
/// two seconds, hourly outcomes for the history graphs every minute. All of them read counters, never history.</summary>
internal static class OverviewEndpoints
{
    /// <summary>Eight days of hours: enough for the browser to cut seven whole local days out of them, whatever its
    /// time zone.</summary>
    public const int HistoryHours = 8 * 24;

    public static RouteGroupBuilder MapOverviewEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/", Overview);
        group.MapGet("/api/stats", Stats);
        group.MapGet("/api/history", History);
        return group;
    }

    private static HtmlPage Overview(HttpContext http, PageContextFactory pages, IJobReader reader) =>
        OverviewPage.Render(pages.Create(http), reader.GetStats());

    private static DashboardStatsResponse Stats(IJobReader reader, TimeProvider time) =>
        DashboardStatsResponse.From(reader.GetStats(), time.GetUtcNow().UtcDateTime);

    private static DashboardHistoryResponse History(IJobReader reader, TimeProvider time)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var hours = reader.GetHourlyCounts(now.AddHours(1 - HistoryHours), HistoryHours);
        return new DashboardHistoryResponse(now, hours.Select(h => new DashboardHourResponse(h.Hour, h.Succeeded, h.Failed)).ToList());
    }
}
