using JobServer.Dashboard.Html;
using JobServer.Engine.States;
using JobServer.Storage;

namespace JobServer.Dashboard.Pages;

/// <summary>Every queue with jobs: how many are enqueued, processing, scheduled and awaiting, and how long its oldest
/// waiting job has waited — the number that shows a queue falling behind.</summary>
internal static class QueuesPage
{
    public static HtmlPage Render(PageContext page, IReadOnlyList<QueueInfo> queues) =>
        Layout.Render(page, "Queues", Section.Queues, html =>
        {
            html.Add($"""<h1>Queues <small>{queues.Count}</small></h1>""");
            if (queues.Count == 0)
            {
                html.Add($"""<p class="empty-note" data-testid="no-queues">No job is waiting or running.</p>""");
                return;
            }

            html.Add($"""
                <table class="table" data-testid="queue-table">
                <thead><tr><th>Queue</th><th class="num">Enqueued</th><th class="num">Processing</th><th class="num">Scheduled</th><th class="num">Awaiting</th><th>Oldest waiting job</th></tr></thead>
                <tbody>
                """);
            foreach (var queue in queues)
            {
                var (name, counts) = (queue.Name, queue.Counts);
                html.Add($"""
                    <tr data-testid="queue-row" data-queue="{name}">
                      <td data-testid="queue-name">{name}</td>
                      {Cell(page.Links, name, JobState.Enqueued, counts.Enqueued)}
                      {Cell(page.Links, name, JobState.Processing, counts.Processing)}
                      {Cell(page.Links, name, JobState.Scheduled, counts.Scheduled)}
                      {Cell(page.Links, name, JobState.Awaiting, counts.Awaiting)}
                      <td data-testid="queue-oldest">{(queue.OldestWaitingSince is { } since ? Fragments.Age(since, page.Now) : Markup.Of($"""<span class="muted">none waiting</span>"""))}</td>
                    </tr>
                    """);
            }

            html.Add($"</tbody></table>");
        });

    private static Markup Cell(DashboardLinks links, string queue, JobState state, long count) =>
        Markup.Of($"""<td class="num"><a href="{links.Jobs(state, queue)}" data-testid="queue-{DashboardLinks.Slug(state)}">{Fragments.Count(count)}</a></td>""");
}
