using JobServer.Dashboard.Html;
using JobServer.Engine.States;
using JobServer.Storage;

namespace JobServer.Dashboard.Pages;

/// <summary>One page of a state's jobs, newest first, and where it came from (state, filters, keyset position).</summary>
internal sealed record JobListModel(JobState State, string? Queue, string? Type, long? Before, KeysetPage Rows, StatsSnapshot Stats);

/// <summary>
/// A state's jobs: tabs per state with their counts, queue and type filters (a GET form), the rows with checkboxes
/// inside one POST form whose two buttons requeue or delete the checked jobs, and keyset paging ("Older" carries the
/// last id shown as <c>before</c>; there is no page number, so page 10,000 costs what page 1 costs).
/// </summary>
internal static class JobListPage
{
    public static HtmlPage Render(PageContext page, JobListModel model) =>
        Layout.Render(page, $"{model.State} jobs", Section.Jobs, html =>
        {
            var (links, state) = (page.Links, model.State);
            html.Add($"""<h1>Jobs <small>{Fragments.Count(model.Stats.States.GetValueOrDefault(state))} {state.ToString().ToLowerInvariant()}</small></h1>""");
            Tabs(html, links, model);
            Filters(html, links, model);
            var selectable = page.CanAct && model.Rows.Items.Count > 0;
            if (selectable)
            {
                html.Add($"""
                    <form method="post" action="{links.RequeueJobs}" data-testid="bulk-form">
                    {Fragments.HiddenFields(page)}
                    <div class="toolbar">
                      {Markup.If(CanRequeue(state), $"""<button type="submit" class="button" data-testid="requeue-selected">Requeue selected</button>""")}
                      {Markup.If(state != JobState.Deleted, $"""<button type="submit" class="button danger" formaction="{links.DeleteJobs}" data-testid="delete-selected">{(state == JobState.Processing ? "Cancel and delete selected" : "Delete selected")}</button>""")}
                    </div>
                    """);
            }

            Table(html, links, model, selectable);
            if (selectable)
            {
                html.Add($"</form>");
            }

            html.Add($"""
                <nav class="pager" aria-label="Pages">
                  {Markup.If(model.Before is not null, $"""<a href="{links.Jobs(state, model.Queue, model.Type)}" data-testid="newest-page">← Newest</a>""")}
                  {Markup.If(model.Rows.NextBeforeId is not null, $"""<a href="{links.Jobs(state, model.Queue, model.Type, model.Rows.NextBeforeId)}" data-testid="older-page">Older →</a>""")}
                </nav>
                """);
        });

    /// <summary>Requeue is refused for jobs that are already waiting to run or running.</summary>
    public static bool CanRequeue(JobState state) => state is not (JobState.Enqueued or JobState.Processing);

    private static void Tabs(HtmlWriter html, DashboardLinks links, JobListModel model)
    {
        html.Add($"""<nav class="tabs" aria-label="States" data-testid="state-tabs">""");
        foreach (var state in Enum.GetValues<JobState>())
        {
            html.Add($"""
                <a href="{links.Jobs(state, model.Queue, model.Type)}" data-testid="tab-{DashboardLinks.Slug(state)}"{Markup.If(state == model.State, $" aria-current=\"page\"")}>{state} <span class="tab-count">{Fragments.Count(model.Stats.States.GetValueOrDefault(state))}</span></a>
                """);
        }

        html.Add($"</nav>");
    }

    private static void Filters(HtmlWriter html, DashboardLinks links, JobListModel model)
    {
        html.Add($"""
            <form method="get" action="{links.Jobs(model.State)}" class="filters" data-testid="job-filter">
              <label>Queue <input name="queue" value="{model.Queue}" list="known-queues" maxlength="50" data-testid="filter-queue"></label>
              <label>Type <input name="type" value="{model.Type}" maxlength="100" data-testid="filter-type"></label>
              <button type="submit" class="button secondary" data-testid="filter-apply">Filter</button>
              {Markup.If(model.Queue is not null || model.Type is not null, $"""<a href="{links.Jobs(model.State)}" data-testid="filter-clear">Clear filters</a>""")}
              <datalist id="known-queues">
            """);
        foreach (var queue in model.Stats.Queues.Keys)
        {
            html.Add($"""<option value="{queue}">""");
        }

        html.Add($"</datalist></form>");
    }

    private static void Table(HtmlWriter html, DashboardLinks links, JobListModel model, bool selectable)
    {
        if (model.Rows.Items.Count == 0)
        {
            html.Add($"""<p class="empty-note" data-testid="no-jobs">No {model.State.ToString().ToLowerInvariant()} jobs{(model.Before is null ? "" : " older than these")}{(model.Queue is null && model.Type is null ? "" : " match the filters")}.</p>""");
            return;
        }

        var processing = model.State == JobState.Processing;
        var finished = model.State is JobState.Succeeded or JobState.Failed or JobState.Deleted;
        html.Add($"""
            <table class="table" data-testid="job-table">
            <thead><tr>
              {Markup.If(selectable, $"""<th class="select"><input type="checkbox" data-select-all aria-label="Select all jobs on this page" data-testid="select-all"></th>""")}
              <th>Job</th><th>Type</th><th>Queue</th><th class="num">Attempts</th><th>Created</th>
              {Markup.If(processing, $"<th>Started</th><th>Progress</th>")}{Markup.If(finished, $"<th>Finished</th>")}
            </tr></thead>
            <tbody>
            """);
        foreach (var job in model.Rows.Items)
        {
            html.Add($"""
                <tr data-testid="job-row" data-job-id="{job.Id}">
                  {Markup.If(selectable, $"""<td class="select"><input type="checkbox" name="ids" value="{job.Id}" aria-label="Select job {job.Id}" data-testid="job-select"></td>""")}
                  <td><a href="{links.Job(job.Id)}" data-testid="job-link">#{job.Id}</a></td>
                  <td>{job.Type}</td>
                  <td><a href="{links.Jobs(model.State, job.Queue, model.Type)}">{job.Queue}</a></td>
                  <td class="num">{job.Attempts}</td>
                  <td>{Fragments.Time(job.CreatedAt)}</td>
                  {Markup.If(processing, $"<td>{Fragments.Time(job.StartedAt)}</td><td>{Progress(job.Progress)}</td>")}{Markup.If(finished, $"<td>{Fragments.Time(job.FinishedAt)}</td>")}
                </tr>
                """);
        }

        html.Add($"</tbody></table>");
    }

    private static Markup Progress(JobProgress? progress) =>
        progress is null
            ? Markup.Empty
            : Markup.Of($"""<progress value="{progress.Done}" max="{Math.Max(progress.Total, 1)}" data-testid="job-progress">{progress.Done} / {progress.Total}</progress>""");
}
