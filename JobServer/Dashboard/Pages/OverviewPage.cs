using JobServer.Dashboard.Html;
using JobServer.Engine.States;
using JobServer.Storage;

namespace JobServer.Dashboard.Pages;

/// <summary>
/// Counts per state and per queue, the realtime graph and the history graphs. The numbers are rendered here and then
/// kept current by dashboard.js, which polls the stats document and rewrites every element with a <c>data-live</c>
/// path into it; the graphs are drawn by the script alone.
/// </summary>
internal static class OverviewPage
{
    public static HtmlPage Render(PageContext page, StatsSnapshot stats) =>
        Layout.Render(page, "Overview", Section.Overview, html =>
        {
            var links = page.Links;
            html.Add($"""
                <div class="overview" data-stats-url="{links.StatsJson}" data-history-url="{links.HistoryJson}" data-jobs-url="{links.Home}/jobs/">
                <h1>Overview <span class="live-status" data-testid="live-status" aria-live="polite"></span></h1>
                <section class="cards" aria-label="Jobs by state">
                """);
            foreach (var state in Enum.GetValues<JobState>())
            {
                var slug = DashboardLinks.Slug(state);
                html.Add($"""
                    <a class="card state-{slug}" href="{links.Jobs(state)}" data-testid="state-card-{slug}">
                      <span class="card-label">{state}</span>
                      <span class="card-count" data-testid="count-{slug}" data-live="states.{state}">{Fragments.Count(stats.States.GetValueOrDefault(state))}</span>
                    </a>
                    """);
            }

            html.Add($"""
                </section>
                <section class="panel">
                  <h2>Realtime <small>jobs finished per second, last 5 minutes</small></h2>
                  <div class="graph" data-graph="realtime" data-testid="realtime-graph"></div>
                  <p class="legend">
                    <span class="key succeeded">Succeeded <b data-testid="rate-succeeded" data-rate="Succeeded">–</b>/s</span>
                    <span class="key failed">Failed <b data-testid="rate-failed" data-rate="Failed">–</b>/s</span>
                    <span class="muted">All time: {Total(stats, JobState.Succeeded, "total-succeeded")} succeeded, {Total(stats, JobState.Failed, "total-failed")} failed</span>
                  </p>
                  <noscript><p class="muted">The graphs and live numbers need JavaScript; reload the page to refresh the counts.</p></noscript>
                </section>
                <div class="panel-row">
                  <section class="panel">
                    <h2>Last 24 hours <small data-history-total="hourly" data-testid="history-hourly-total"></small></h2>
                    <div class="graph" data-graph="hourly" data-testid="history-hourly"></div>
                  </section>
                  <section class="panel">
                    <h2>Last 7 days <small data-history-total="daily" data-testid="history-daily-total"></small></h2>
                    <div class="graph" data-graph="daily" data-testid="history-daily"></div>
                  </section>
                </div>
                <section class="panel">
                  <h2>Queues</h2>
                  <table class="table" data-testid="queue-table">
                    <thead><tr><th>Queue</th><th class="num">Enqueued</th><th class="num">Processing</th><th class="num">Scheduled</th><th class="num">Awaiting</th></tr></thead>
                    <tbody data-live-queues>
                """);
            foreach (var (name, counts) in stats.Queues)
            {
                html.Add($"""
                    <tr data-testid="queue-row" data-queue="{name}">
                      <td>{name}</td>
                      {QueueCell(links, name, JobState.Enqueued, counts.Enqueued)}
                      {QueueCell(links, name, JobState.Processing, counts.Processing)}
                      {QueueCell(links, name, JobState.Scheduled, counts.Scheduled)}
                      {QueueCell(links, name, JobState.Awaiting, counts.Awaiting)}
                    </tr>
                    """);
            }

            html.Add($"""
                    </tbody>
                  </table>
                  <p class="muted empty-note" data-testid="no-queues"{Markup.If(stats.Queues.Count > 0, $" hidden")}>No job is waiting or running.</p>
                </section>
                </div>
                """);
        });

    private static Markup Total(StatsSnapshot stats, JobState state, string testId) =>
        Markup.Of($"""<span data-testid="{testId}" data-live="totals.{state}">{Fragments.Count(stats.Totals.GetValueOrDefault(state))}</span>""");

    /// <summary>A count linking to that queue's jobs in that state; its live path matches the stats document.</summary>
    private static Markup QueueCell(DashboardLinks links, string queue, JobState state, long count)
    {
        var field = DashboardLinks.Slug(state);
        return Markup.Of($"""<td class="num"><a href="{links.Jobs(state, queue)}" data-testid="queue-{field}" data-live="queues.{queue}.{field}">{Fragments.Count(count)}</a></td>""");
    }
}
