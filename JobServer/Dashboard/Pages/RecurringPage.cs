using JobServer.Dashboard.Html;
using JobServer.Engine.Scheduling;

namespace JobServer.Dashboard.Pages;

/// <summary>Every recurring job: its cron in words, time zone, next run, the last run with its job's state, and the
/// buttons to trigger, pause or resume, and delete it.</summary>
internal static class RecurringPage
{
    public static HtmlPage Render(PageContext page, IReadOnlyList<RecurringJobView> jobs) =>
        Layout.Render(page, "Recurring jobs", Section.Recurring, html =>
        {
            html.Add($"""<h1>Recurring jobs <small>{jobs.Count}</small></h1>""");
            if (jobs.Count == 0)
            {
                html.Add($"""<p class="empty-note" data-testid="no-recurring">No recurring jobs are defined. Define them in code (<code>AddRecurringJob</code>), in configuration (<code>JobServer:Recurring</code>) or with <code>PUT /api/recurring/<var>id</var></code>.</p>""");
                return;
            }

            html.Add($"""
                <table class="table" data-testid="recurring-table">
                <thead><tr><th>Id</th><th>Schedule</th><th>Time zone</th><th>Job</th><th>Next run</th><th>Last run</th>{Markup.If(page.CanAct, $"<th>Actions</th>")}</tr></thead>
                <tbody>
                """);
            foreach (var view in jobs)
            {
                var (info, definition) = (view.Info, view.Info.Definition);
                html.Add($"""
                    <tr data-testid="recurring-row" data-recurring-id="{definition.Id}"{Markup.If(info.Paused, $" class=\"paused\"")}>
                      <td data-testid="recurring-id">{definition.Id}</td>
                      <td><code data-testid="recurring-cron">{definition.Cron}</code><div class="muted" data-testid="recurring-description">{view.Description}</div></td>
                      <td data-testid="recurring-timezone">{definition.TimeZone}</td>
                      <td>{definition.Type}<div class="muted">queue {definition.Queue}</div></td>
                      <td class="nowrap" data-testid="recurring-next">{(info.Paused ? Markup.Of($"""<span class="badge paused" data-testid="recurring-paused">Paused</span>""") : Fragments.Ago(info.NextRunAt, page.Now))}</td>
                      <td data-testid="recurring-last">{LastRun(page, info)}</td>
                      {Markup.If(page.CanAct, $"<td class=\"actions\">{Actions(page, definition.Id, info.Paused)}</td>")}
                    </tr>
                    """);
            }

            html.Add($"</tbody></table>");
        });

    private static Markup LastRun(PageContext page, Storage.RecurringJobInfo info)
    {
        if (info.LastRunAt is null)
        {
            return Markup.Of($"""<span class="muted">never</span>""");
        }

        var job = info.LastJobId is { } id
            ? Markup.Of($"""<div><a href="{page.Links.Job(id)}" data-testid="recurring-last-job">#{id}</a> {(info.LastJobState is { } state ? Fragments.StateBadge(state) : Markup.Of($"""<span class="muted">expired</span>"""))}</div>""")
            : Markup.Empty;
        return Markup.Of($"{Fragments.Ago(info.LastRunAt, page.Now)}{job}");
    }

    private static Markup Actions(PageContext page, string id, bool paused)
    {
        (string, string)[] fields = [("id", id)];
        var links = page.Links;
        return Markup.Of($"""
            {Fragments.ActionButton(page, links.RecurringAction("trigger"), "Trigger now", "trigger-recurring", fields, "secondary")}
            {(paused
                ? Fragments.ActionButton(page, links.RecurringAction("resume"), "Resume", "resume-recurring", fields, "secondary")
                : Fragments.ActionButton(page, links.RecurringAction("pause"), "Pause", "pause-recurring", fields, "secondary"))}
            {Fragments.ActionButton(page, links.RecurringAction("delete"), "Delete", "delete-recurring", fields, "danger", confirm: $"Delete the recurring job \"{id}\"? Jobs it already created stay.")}
            """);
    }
}
