using System.Globalization;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Hangfire.Storage;
using JobServer.Jobs;
using MySqlConnector;

namespace JobServer.Dashboard;

/// <summary>One bulk insert as the page lists it.</summary>
internal sealed record BulkInsertRow(string JobId, string State, BulkInsertArguments Args, DateTime? At, JobProgress? Progress, string? Detail)
{
    /// <summary>Processing or waiting to run: its progress still moves.</summary>
    public bool Running => State == ProcessingState.StateName || State == EnqueuedState.StateName;
}

/// <summary>Rows per project, as <c>selectCountData</c> counts them.</summary>
internal sealed record ProjectCount(string Project, long Rows);

/// <summary>
/// What the Bulk inserts page shows, read before the page renders (the page itself only writes HTML): the bulk inserts
/// in flight and the latest finished ones, from the monitoring API's lists, and the rows of every project.
/// </summary>
internal sealed record BulkInsertsOverview(
    IReadOnlyList<BulkInsertRow> Jobs, IReadOnlyList<ProjectCount> Projects, long? TotalRows, bool MoreProjects, string? CountsError)
{
    /// <summary>How many projects are counted; each is one <c>selectCountData</c> call, a scan of its rows.</summary>
    public const int MaxProjects = 50;

    /// <summary>How deep each state list is searched for bulk inserts, newest first.</summary>
    private const int ListDepth = 200;

    /// <summary>Finished bulk inserts shown below the ones in flight.</summary>
    private const int FinishedShown = 10;

    /// <param name="startedJobId">A job just started from the form: listed even while it is between the lists (fetched
    /// from its queue by a worker, not yet Processing), which right after its creation is a moment likely to be hit.</param>
    public static async Task<BulkInsertsOverview> LoadAsync(JobStorage storage, ApiDataDatabase database, string? startedJobId)
    {
        var jobs = ReadJobs(storage);
        if (startedJobId is not null && jobs.All(j => j.JobId != startedJobId) && ReadJob(storage, startedJobId) is { } started)
        {
            jobs.Insert(0, started);
        }

        try
        {
            var (projects, more, total) = await CountRowsAsync(database);
            return new BulkInsertsOverview(jobs, projects, total, more, null);
        }
        catch (MySqlException ex)
        {
            // The job lists come from Hangfire's storage; the counts alone fail, so the page still answers.
            return new BulkInsertsOverview(jobs, [], null, false, ex.Message);
        }
    }

    private static List<BulkInsertRow> ReadJobs(JobStorage storage)
    {
        var monitoring = storage.GetMonitoringApi();
        var inFlight = new List<(string Id, string State, Job? Job, DateTime? At, string? Detail)>();
        inFlight.AddRange(monitoring.ProcessingJobs(0, ListDepth).Select(j => (j.Key, ProcessingState.StateName, j.Value?.Job, j.Value?.StartedAt, (string?)null)));
        foreach (var queue in monitoring.Queues())
        {
            inFlight.AddRange(monitoring.EnqueuedJobs(queue.Name, 0, ListDepth)
                // A queue also lists the jobs its workers have fetched; those are Processing and listed as such.
                .Where(j => j.Value is { InEnqueuedState: true }).Select(j => (j.Key, EnqueuedState.StateName, j.Value?.Job, j.Value?.EnqueuedAt, (string?)null)));
        }
        inFlight.AddRange(monitoring.ScheduledJobs(0, ListDepth).Select(j => (j.Key, ScheduledState.StateName, j.Value?.Job, (DateTime?)j.Value?.EnqueueAt, (string?)"retry scheduled")));

        var finished = new List<(string Id, string State, Job? Job, DateTime? At, string? Detail)>();
        finished.AddRange(monitoring.SucceededJobs(0, ListDepth).Select(j => (j.Key, SucceededState.StateName, j.Value?.Job, j.Value?.SucceededAt, (string?)null)));
        finished.AddRange(monitoring.FailedJobs(0, ListDepth).Select(j => (j.Key, FailedState.StateName, j.Value?.Job, j.Value?.FailedAt, j.Value?.ExceptionMessage)));
        finished.AddRange(monitoring.DeletedJobs(0, ListDepth).Select(j => (j.Key, DeletedState.StateName, j.Value?.Job, j.Value?.DeletedAt, (string?)null)));

        var bulk = inFlight.Where(IsBulkInsert).OrderByDescending(j => NumericId(j.Id))
            .Concat(finished.Where(IsBulkInsert).OrderByDescending(j => NumericId(j.Id)).Take(FinishedShown))
            .DistinctBy(j => j.Id)
            .ToList();
        return bulk.Select(j => new BulkInsertRow(j.Id, j.State, (BulkInsertArguments)j.Job!.Args[0], j.At, JobProgress.Read(storage, j.Id), j.Detail)).ToList();
    }

    private static BulkInsertRow? ReadJob(JobStorage storage, string jobId)
    {
        using var connection = storage.GetConnection();
        var data = connection.GetJobData(jobId);
        return data?.Job is { } job && job.Type == typeof(BulkInsertJob) && job.Args is [BulkInsertArguments args, ..]
            ? new BulkInsertRow(jobId, data.State, args, data.CreatedAt, JobProgress.Read(storage, jobId), null)
            : null;
    }

    private static bool IsBulkInsert((string Id, string State, Job? Job, DateTime? At, string? Detail) entry) =>
        entry.Job is { } job && job.Type == typeof(BulkInsertJob) && job.Args is [BulkInsertArguments, ..];

    private static long NumericId(string id) => long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;

    /// <summary>The user's own procedure counts, so the page counts as they do (see <see cref="ApiDataCounts"/>).</summary>
    private static async Task<(List<ProjectCount> Projects, bool More, long Total)> CountRowsAsync(ApiDataDatabase database)
    {
        var (projects, more, total) = await database.CountRowsPerProjectAsync(MaxProjects);
        return (projects.Select(p => new ProjectCount(p.Project, p.Rows)).ToList(), more, total);
    }
}
