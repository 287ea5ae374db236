using System.Globalization;
using JobServer.Dashboard.Html;
using JobServer.Engine.States;
using JobServer.Storage;

namespace JobServer.Dashboard.Pages;

/// <summary>
/// Everything about one job: facts, live progress, the failure with its full stack trace, arguments and result as
/// indented JSON, and its history as a timeline where each step shows how long it lasted (until the next one). While
/// the job is not finished, dashboard.js polls the job's API resource, moves the progress bar, and reloads the page
/// when the state changes.
/// </summary>
internal static class JobDetailPage
{
    public static HtmlPage Render(PageContext page, JobDetails job)
    {
        var s = job.Summary;
        return Layout.Render(page, $"Job {s.Id}", Section.Jobs, html =>
        {
            var live = !IsFinal(s.State);
            html.Add($"""
                <div class="job-detail" data-job-id="{s.Id}" data-job-state="{s.State}"{Markup.If(live, $""" data-poll-url="{page.Links.ApiJob(s.Id)}" """)}>
                <h1><span data-testid="job-id">Job #{s.Id}</span> <span data-testid="job-state">{Fragments.StateBadge(s.State)}</span></h1>
                <div class="actions" data-testid="job-actions">
                  {(JobListPage.CanRequeue(s.State) ? Fragments.ActionButton(page, page.Links.RequeueJobs, "Requeue", "requeue-job", [("ids", Id(s.Id))]) : Markup.Empty)}
                  {(s.State != JobState.Deleted ? Fragments.ActionButton(page, page.Links.DeleteJobs, s.State == JobState.Processing ? "Cancel and delete" : "Delete", "delete-job", [("ids", Id(s.Id))], "danger") : Markup.Empty)}
                </div>
                <dl class="facts">
                  <dt>Type</dt><dd data-testid="job-type">{s.Type}</dd>
                  <dt>Queue</dt><dd data-testid="job-queue"><a href="{page.Links.Jobs(JobState.Enqueued, s.Queue)}">{s.Queue}</a></dd>
                  <dt>Attempts</dt><dd data-testid="job-attempts">{s.Attempts}</dd>
                  <dt>Created</dt><dd data-testid="job-created">{Fragments.Time(s.CreatedAt)}</dd>
                  <dt>Started</dt><dd data-testid="job-started">{Fragments.Time(s.StartedAt)}</dd>
                  <dt>Finished</dt><dd data-testid="job-finished">{Fragments.Time(s.FinishedAt)}{RunTime(s)}</dd>
                  {Markup.If(job.ParentId is not null, $"""<dt>Continues</dt><dd data-testid="job-parent"><a href="{page.Links.Job(job.ParentId ?? 0)}">job #{job.ParentId}</a></dd>""")}
                </dl>
                """);
            Continuations(html, page, job);
            if (s.Progress is { } progress)
            {
                html.Add($"""
                    <section class="panel">
                      <h2>Progress</h2>
                      <progress class="progress" value="{progress.Done}" max="{Math.Max(progress.Total, 1)}" data-testid="progress">{Percent(progress)}</progress>
                      <span data-testid="progress-text">{ProgressText(progress)}</span>
                    </section>
                    """);
            }

            if (s.State == JobState.Failed && job.History.LastOrDefault(h => h.ExceptionType is not null) is { } failure)
            {
                html.Add($"""
                    <section class="panel failure" data-testid="failure">
                      <h2>Failure</h2>
                      <p><code data-testid="exception-type">{failure.ExceptionType}</code>: <span data-testid="exception-message">{failure.ExceptionMessage}</span></p>
                      <pre class="stack-trace" data-testid="stack-trace">{failure.ExceptionDetails}</pre>
                    </section>
                    """);
            }

            html.Add($"""
                <section class="panel"><h2>Arguments</h2><pre class="json" data-testid="job-args">{Fragments.PrettyJson(job.ArgsJson)}</pre></section>
                {Markup.If(job.ResultJson is not null, $"""<section class="panel"><h2>Result</h2><pre class="json" data-testid="job-result">{Fragments.PrettyJson(job.ResultJson ?? "")}</pre></section>""")}
                """);
            Timeline(html, page, job);
            html.Add($"</div>");
        });
    }

    /// <summary>The jobs that run after this one (continuations), with their states.</summary>
    private static void Continuations(HtmlWriter html, PageContext page, JobDetails job)
    {
        if (job.Continuations is not { Count: > 0 } children)
        {
            return;
        }

        html.Add($"""<section class="panel"><h2>Continuations</h2><ul data-testid="continuations">""");
        foreach (var child in children)
        {
            html.Add($"""<li data-testid="continuation" data-job-id="{child.Id}"><a href="{page.Links.Job(child.Id)}">job #{child.Id}</a> {child.Type} {Fragments.StateBadge(child.State)}</li>""");
        }

        html.Add($"</ul></section>");
    }

    /// <summary>Newest first. A step lasted until the next one began; the current step of an unfinished job is still
    /// going, so it shows how long it has lasted so far.</summary>
    private static void Timeline(HtmlWriter html, PageContext page, JobDetails job)
    {
        html.Add($"""<section class="panel"><h2>History</h2><ol class="timeline" data-testid="history">""");
        for (var i = job.History.Count - 1; i >= 0; i--)
        {
            var entry = job.History[i];
            var lasted = i + 1 < job.History.Count
                ? "lasted " + Fragments.Duration(job.History[i + 1].At - entry.At)
                : IsFinal(job.Summary.State) ? "" : Fragments.Duration(page.Now - entry.At) + " so far";
            html.Add($"""
                <li class="timeline-entry state-{DashboardLinks.Slug(entry.State)}" data-testid="history-entry" data-state="{entry.State}">
                  <div class="timeline-head">{Fragments.StateBadge(entry.State)} {Fragments.Time(entry.At)} <span class="muted" data-testid="history-duration">{lasted}</span></div>
                  {Markup.If(entry.Reason is not null, $"""<div data-testid="history-reason">{entry.Reason}</div>""")}
                  {Markup.If(entry.ServerId is not null, $"""<div class="muted">on <span data-testid="history-server">{entry.ServerId}</span></div>""")}
                  {Markup.If(entry.ExceptionType is not null, $"""<details><summary><code>{entry.ExceptionType}</code>: {entry.ExceptionMessage}</summary><pre class="stack-trace" data-testid="history-stack-trace">{entry.ExceptionDetails}</pre></details>""")}
                </li>
                """);
        }

        html.Add($"</ol></section>");
    }

    private static bool IsFinal(JobState state) => state is JobState.Succeeded or JobState.Failed or JobState.Deleted;

    private static Markup RunTime(JobSummary s) =>
        Markup.If(s is { StartedAt: not null, FinishedAt: not null } && s.FinishedAt >= s.StartedAt, $" <span class=\"muted\">(ran {Fragments.Duration((s.FinishedAt - s.StartedAt) ?? TimeSpan.Zero)})</span>");

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    private static string Percent(JobProgress p) => p.Total > 0 ? (100.0 * p.Done / p.Total).ToString("0", CultureInfo.InvariantCulture) + " %" : "";

    private static string ProgressText(JobProgress p) => $"{Fragments.Count(p.Done)} / {Fragments.Count(p.Total)} {(p.Total > 0 ? "(" + Percent(p) + ")" : "")}".TrimEnd();
}
