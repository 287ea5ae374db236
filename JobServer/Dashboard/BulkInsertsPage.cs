using System.Globalization;
using System.Net;
using Hangfire.Dashboard;
using Hangfire.Dashboard.Pages;
using JobServer.Jobs;

namespace JobServer.Dashboard;

/// <summary>
/// The Bulk inserts page, written by hand in the way Hangfire's generated pages are (a <see cref="RazorPage"/> inside
/// Hangfire's <see cref="LayoutPage"/>, so it has the same navigation, styles and scripts). Renders only what it is
/// given: the dispatcher has read the data and handled the form already.
/// </summary>
internal sealed class BulkInsertsPage(BulkInsertsOverview overview, BulkInsertForm form, BulkInsertStart? outcome, string? startedJobId, string? antiforgeryField)
    : RazorPage
{
    public const string Title = "Bulk inserts";

    public override void Execute()
    {
        Layout = new LayoutPage(Title);
        WriteLiteral("""<div class="row"><div class="col-md-12">""");
        WriteLiteral($"""<h1 id="page-title" class="page-header">{Title}</h1>""");
        WriteAlerts();
        WriteJobs();
        WriteCounts();
        WriteForm();
        WriteLiteral("</div></div>");
    }

    private void WriteAlerts()
    {
        if (startedJobId is not null)
        {
            WriteLiteral($"""<div class="alert alert-success" id="bulk-insert-started">Bulk insert {Html.JobIdLink(startedJobId)} started.</div>""");
        }

        if (outcome?.Conflict is { } conflict)
        {
            var holders = string.Join(", ", conflict.Holders.Select(id => Html.JobIdLink(id).ToString()));
            WriteLiteral($"""
                <div class="alert alert-warning" id="bulk-insert-conflict">Not started: this project already has a bulk insert
                in flight ({E(conflict.Key)}): {holders}. Wait for it to finish, or delete it first.</div>
                """);
        }

        if (outcome?.OtherErrors.ToList() is { Count: > 0 } others)
        {
            WriteLiteral("""<div class="alert alert-danger" id="bulk-insert-errors">Not started:<ul>""");
            foreach (var error in others)
            {
                WriteLiteral($"<li>{E(error.Field)} {E(error.Message)}</li>");
            }
            WriteLiteral("</ul></div>");
        }
    }

    private void WriteJobs()
    {
        WriteLiteral("<h3>Bulk insert jobs</h3>");
        if (overview.Jobs.Count == 0)
        {
            WriteLiteral("""<div class="alert alert-info" id="bulk-insert-jobs-none">No bulk insert is in flight or has finished recently.</div>""");
            return;
        }

        WriteLiteral("""
            <div class="table-responsive"><table class="table table-hover" id="bulk-insert-jobs">
            <thead><tr><th class="min-width">Id</th><th class="min-width">State</th><th>Project</th><th class="align-right">Rows</th>
            <th class="align-right">Chunk size</th><th style="width: 30%">Progress</th><th class="align-right">Since</th></tr></thead><tbody>
            """);
        foreach (var job in overview.Jobs)
        {
            WriteLiteral($"""
                <tr class="bulk-insert-job" data-job-id="{E(job.JobId)}">
                <td class="min-width">{Html.JobIdLink(job.JobId)}</td>
                <td class="min-width">{Html.StateLabel(job.State)}</td>
                <td>{E(job.Args.Project)}</td>
                <td class="align-right">{Number(job.Args.Rows)}</td>
                <td class="align-right">{Number(job.Args.EffectiveChunkSize)}</td>
                <td>{ProgressBar(job)}{(job.Detail is null ? "" : $"<div class=\"text-muted\">{E(job.Detail)}</div>")}</td>
                <td class="align-right">{(job.At is { } at ? Html.RelativeTime(at).ToString() : "")}</td>
                </tr>
                """);
        }
        WriteLiteral("</tbody></table></div>");
    }

    /// <summary>The job details page's progress markup: its script (loaded on every page) polls a bar that has a
    /// progress URL. A running job's bar also reloads the page when the job stops, so the state and counts catch up.</summary>
    private string ProgressBar(BulkInsertRow job)
    {
        if (job.Progress is null && !job.Running)
        {
            return """<span class="text-muted">no progress reported</span>""";
        }

        // A job still waiting for a worker has reported nothing yet: it starts at zero, and the script asks until it reports.
        var progress = job.Progress ?? new JobProgress(0, job.Args.Rows);
        var live = job.Running
            ? $" data-progress-url=\"{E(Url.To(JobProgressDashboard.RoutePrefix + job.JobId))}\" data-reload-when-done=\"true\"{(job.Progress is null ? " data-progress-pending=\"true\"" : "")}"
            : "";
        return $"""<div class="jobserver-progress"{live}>{JobProgressBlock.Bar(progress)}</div>""";
    }

    private void WriteCounts()
    {
        WriteLiteral("<h3>Rows per project</h3>");
        if (overview.CountsError is { } error)
        {
            WriteLiteral($"""<div class="alert alert-warning" id="project-counts-error">The row counts could not be read: {E(error)}</div>""");
            return;
        }

        WriteLiteral("""
            <p class="text-muted">Counted with the <code>selectCountData</code> procedure when this page was loaded.</p>
            <div class="table-responsive"><table class="table" id="project-counts">
            <thead><tr><th>Project</th><th class="align-right">Rows</th></tr></thead><tbody>
            """);
        foreach (var project in overview.Projects)
        {
            WriteLiteral($"""<tr class="project-count" data-project="{E(project.Project)}"><td>{E(project.Project)}</td><td class="align-right">{Number(project.Rows)}</td></tr>""");
        }
        if (overview.MoreProjects)
        {
            WriteLiteral($"""<tr><td colspan="2" class="text-muted">Only the first {BulkInsertsOverview.MaxProjects} projects by name are counted.</td></tr>""");
        }
        WriteLiteral($"""<tr id="project-counts-total"><th>All projects</th><th class="align-right">{Number(overview.TotalRows ?? 0)}</th></tr>""");
        WriteLiteral("</tbody></table></div>");
    }

    private void WriteForm()
    {
        WriteLiteral("<h3>Start a bulk insert</h3>");
        if (IsReadOnly)
        {
            WriteLiteral("""<div class="alert alert-info" id="bulk-insert-read-only">The dashboard is read-only: bulk inserts cannot be started here.</div>""");
            return;
        }

        var token = antiforgeryField is not null && !string.IsNullOrEmpty(Context.AntiforgeryToken)
            ? $"""<input type="hidden" name="{E(antiforgeryField)}" value="{E(Context.AntiforgeryToken)}">"""
            : "";
        WriteLiteral($"""
            <form method="post" action="{E(Url.To(BulkInsertsDashboard.Route))}" id="bulk-insert-form" class="form-horizontal">
            {token}
            {Field("rows", "Rows", form.Rows, "number", $"min=\"1\" max=\"{BulkInsertArguments.MaxRows}\" required", $"1 to {Number(BulkInsertArguments.MaxRows)}")}
            {Field("project", "Project", form.Project, "text", $"maxlength=\"{BulkInsertArguments.MaxTextLength}\" required", "the project the rows belong to; one bulk insert per project at a time")}
            {Field("chunkSize", "Chunk size", form.ChunkSize, "number", $"min=\"{BulkInsertArguments.MinChunkSize}\" max=\"{BulkInsertArguments.MaxChunkSize}\"", $"optional: rows per transaction, {Number(BulkInsertArguments.MinChunkSize)} to {Number(BulkInsertArguments.MaxChunkSize)}, default {Number(BulkInsertArguments.DefaultChunkSize)}")}
            <div class="form-group"><div class="col-sm-offset-2 col-sm-6">
            <button type="submit" class="btn btn-primary" id="bulk-insert-submit">Start bulk insert</button>
            </div></div>
            </form>
            """);
    }

    private string Field(string name, string label, string value, string type, string attributes, string help)
    {
        var errors = outcome?.ErrorsOf(name).ToList() ?? [];
        var messages = string.Concat(errors.Select(message => $"""<span class="help-block field-error" data-field="{name}">{E(label)} {E(message)}</span>"""));
        return $"""
            <div class="form-group{(errors.Count > 0 ? " has-error" : "")}">
            <label for="bulk-{name}" class="col-sm-2 control-label">{E(label)}</label>
            <div class="col-sm-6"><input type="{type}" class="form-control" id="bulk-{name}" name="{name}" value="{E(value)}" {attributes}>
            {messages}<span class="help-block">{E(help)}</span></div>
            </div>
            """;
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
