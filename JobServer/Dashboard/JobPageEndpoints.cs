using JobServer.Dashboard.Html;
using JobServer.Dashboard.Pages;
using JobServer.Engine;
using JobServer.Storage;

namespace JobServer.Dashboard;

/// <summary>The job list of each state (keyset paging, queue and type filters) and the job detail page.</summary>
internal static class JobPageEndpoints
{
    /// <summary>Rows per list page: one index range read of this many rows, however long the history.</summary>
    public const int PageSize = 50;

    public static RouteGroupBuilder MapJobPageEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/jobs/{state:alpha}", List);
        group.MapGet("/jobs/{id:long}", Detail);
        return group;
    }

    private static HtmlPage List(string state, string? queue, string? type, string? before, HttpContext http, PageContextFactory pages, IJobReader reader)
    {
        var page = pages.Create(http);
        if (DashboardLinks.ParseSlug(state) is not { } jobState)
        {
            return Layout.Error(page, StatusCodes.Status404NotFound, "No such job list", $"There is no job state \"{state}\".", Section.Jobs);
        }

        queue = string.IsNullOrWhiteSpace(queue) ? null : queue.Trim();
        type = string.IsNullOrWhiteSpace(type) ? null : type.Trim();
        if (queue is not null && !QueueName.IsValid(queue))
        {
            return Layout.Error(page, StatusCodes.Status400BadRequest, "Invalid filter", "A queue name is 1-50 characters of a-z, 0-9, '_' or '-'.", Section.Jobs);
        }

        if (type is { Length: > 100 })
        {
            return Layout.Error(page, StatusCodes.Status400BadRequest, "Invalid filter", "A job type is at most 100 characters.", Section.Jobs);
        }

        long? beforeId = null;
        if (before is not null)
        {
            if (!WholeNumber.TryParse(before, out var id) || id < 1)
            {
                return Layout.Error(page, StatusCodes.Status400BadRequest, "Invalid page", "\"before\" must be a job id.", Section.Jobs);
            }

            beforeId = id;
        }

        var rows = reader.ListJobsBefore(jobState, queue, type, beforeId, PageSize);
        return JobListPage.Render(page, new JobListModel(jobState, queue, type, beforeId, rows, reader.GetStats()));
    }

    private static HtmlPage Detail(long id, HttpContext http, PageContextFactory pages, IJobReader reader)
    {
        var page = pages.Create(http);
        return reader.GetJob(id) is { } job
            ? JobDetailPage.Render(page, job)
            : Layout.Error(page, StatusCodes.Status404NotFound, "Job not found", $"There is no job {id}. Finished jobs are removed once their retention has passed.", Section.Jobs);
    }
}
