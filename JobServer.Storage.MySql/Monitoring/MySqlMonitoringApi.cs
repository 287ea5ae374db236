using Hangfire.States;
using Hangfire.Storage;
using Hangfire.Storage.Monitoring;
using JobServer.Storage.MySql.Entities;
using MySqlConnector;

namespace JobServer.Storage.MySql.Monitoring;

/// <summary>
/// The dashboard's view of the storage: a facade over the queries in this folder, one pooled connection per call.
/// Stateless and thread-safe. Results match Hangfire's reference storages (list order, DTO fields); counts of
/// the succeeded and deleted lists are capped by <see cref="MySqlStorageOptions.DashboardJobListLimit"/>.
/// </summary>
internal sealed class MySqlMonitoringApi(MySqlStorage storage) : JobStorageMonitor, IJobListing
{
    private int Timeout => storage.Database.CommandTimeoutSeconds;

    private DateTime UtcNow => storage.Time.GetUtcNow().UtcDateTime;

    public override StatisticsDto GetStatistics() => Use(c => StatisticsQuery.Get(c, storage.Options.DashboardJobListLimit, Timeout));

    public override IList<QueueWithTopEnqueuedJobsDto> Queues() => Use(c =>
        QueueQueries.Summaries(c, Timeout)
            .Select(queue => new QueueWithTopEnqueuedJobsDto
            {
                Name = queue.Name,
                Length = queue.Enqueued,
                Fetched = queue.Fetched,
                FirstJobs = JobPayload.ToJobList(QueueQueries.EnqueuedPage(c, queue.Name, 0, 5, Timeout), JobListDtos.Enqueued),
            })
            .ToList<QueueWithTopEnqueuedJobsDto>());

    public JobIdPage ListJobIds(JobListFilter filter, int from, int count)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return Use(c => JobListQuery.Page(c, filter, from, count, Timeout));
    }

    public override IList<ServerDto> Servers() => Use<IList<ServerDto>>(c => ServersQuery.GetAll(c, Timeout));

    public override JobDetailsDto? JobDetails(string jobId)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        return JobIds.TryParse(jobId, out var id) ? Use(c => JobDetailsQuery.Get(c, id, Timeout)) : null;
    }

    public override JobList<EnqueuedJobDto> EnqueuedJobs(string queue, int from, int perPage)
    {
        ArgumentNullException.ThrowIfNull(queue);
        return Use(c => JobPayload.ToJobList(QueueQueries.EnqueuedPage(c, queue, from, perPage, Timeout), JobListDtos.Enqueued));
    }

    public override JobList<FetchedJobDto> FetchedJobs(string queue, int from, int perPage)
    {
        ArgumentNullException.ThrowIfNull(queue);
        return Use(c => JobPayload.ToJobList(QueueQueries.FetchedPage(c, queue, from, perPage, Timeout), JobListDtos.Fetched));
    }

    public override long EnqueuedCount(string queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        return Use(c => QueueQueries.EnqueuedCount(c, queue, Timeout));
    }

    public override long FetchedCount(string queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        return Use(c => QueueQueries.FetchedCount(c, queue, Timeout));
    }

    public override JobList<ProcessingJobDto> ProcessingJobs(int from, int count) =>
        Page(ProcessingState.StateName, from, count, newestFirst: false, JobListDtos.Processing);

    public override JobList<ScheduledJobDto> ScheduledJobs(int from, int count) =>
        Page(ScheduledState.StateName, from, count, newestFirst: false, JobListDtos.Scheduled);

    public override JobList<SucceededJobDto> SucceededJobs(int from, int count) =>
        Page(SucceededState.StateName, from, count, newestFirst: true, JobListDtos.Succeeded);

    public override JobList<FailedJobDto> FailedJobs(int from, int count) =>
        Page(FailedState.StateName, from, count, newestFirst: true, JobListDtos.Failed);

    public override JobList<DeletedJobDto> DeletedJobs(int from, int count) =>
        Page(DeletedState.StateName, from, count, newestFirst: true, JobListDtos.Deleted);

    public override JobList<AwaitingJobDto> AwaitingJobs(int from, int count) => Use(c =>
    {
        var jobs = JobPayload.ToJobList(StateListQueries.Page(c, AwaitingState.StateName, from, count, newestFirst: false, Timeout),
            JobListDtos.Awaiting);
        var parentIds = jobs.Select(job => JobListDtos.ParentId(job.Value)).OfType<long>().Distinct().ToList();
        var parentStates = StateListQueries.StateNames(c, parentIds, Timeout);
        foreach (var (_, job) in jobs)
        {
            if (JobListDtos.ParentId(job) is { } parentId && parentStates.TryGetValue(parentId, out var parentState))
                job.ParentStateName = parentState;
        }
        return jobs;
    });

    public override long ScheduledCount() => Count(ScheduledState.StateName, limit: null);

    public override long FailedCount() => Count(FailedState.StateName, storage.Options.DashboardJobListLimit);

    public override long ProcessingCount() => Count(ProcessingState.StateName, limit: null);

    public override long AwaitingCount() => Count(AwaitingState.StateName, limit: null);

    // These lists grow with the history (failed jobs stay until acted on); the pager needs no exact figure beyond the first pages.
    public override long SucceededListCount() => Count(SucceededState.StateName, storage.Options.DashboardJobListLimit);

    public override long DeletedListCount() => Count(DeletedState.StateName, storage.Options.DashboardJobListLimit);

    public override IDictionary<DateTime, long> SucceededByDatesCount() => Use(c => HistoryGraphQuery.Daily(c, "succeeded", UtcNow, Timeout));

    public override IDictionary<DateTime, long> FailedByDatesCount() => Use(c => HistoryGraphQuery.Daily(c, "failed", UtcNow, Timeout));

    public override IDictionary<DateTime, long> DeletedByDatesCount() => Use(c => HistoryGraphQuery.Daily(c, "deleted", UtcNow, Timeout));

    public override IDictionary<DateTime, long> HourlySucceededJobs() => Use(c => HistoryGraphQuery.Hourly(c, "succeeded", UtcNow, Timeout));

    public override IDictionary<DateTime, long> HourlyFailedJobs() => Use(c => HistoryGraphQuery.Hourly(c, "failed", UtcNow, Timeout));

    public override IDictionary<DateTime, long> HourlyDeletedJobs() => Use(c => HistoryGraphQuery.Hourly(c, "deleted", UtcNow, Timeout));

    private JobList<TDto> Page<TDto>(string stateName, int from, int count, bool newestFirst,
        Func<MonitoredJobRow, LoadedJob, Dictionary<string, string>, TDto> create) where TDto : class =>
        Use(c => JobPayload.ToJobList(StateListQueries.Page(c, stateName, from, count, newestFirst, Timeout), create));

    private long Count(string stateName, int? limit) => Use(c => StateListQueries.Count(c, stateName, limit, Timeout));

    private T Use<T>(Func<MySqlConnection, T> query) => storage.Database.Use(query);
}
