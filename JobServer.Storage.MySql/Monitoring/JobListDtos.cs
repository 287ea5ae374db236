using System.Globalization;
using Hangfire.Common;
using Hangfire.States;
using Hangfire.Storage.Monitoring;
using JobServer.Storage.MySql.Entities;

namespace JobServer.Storage.MySql.Monitoring;

/// <summary>
/// The dashboard's row DTOs, filled from a job and its current state as Hangfire's own storages fill them: times
/// are when the state was entered, details come from the state's data under the keys the state classes write.
/// </summary>
internal static class JobListDtos
{
    public static EnqueuedJobDto Enqueued(MonitoredJobRow row, LoadedJob job, Dictionary<string, string> data) => new()
    {
        Job = job.Job,
        InvocationData = job.InvocationData,
        LoadException = job.LoadException,
        State = row.StateName,
        InEnqueuedState = row.IsIn(EnqueuedState.StateName),
        EnqueuedAt = row.IsIn(EnqueuedState.StateName) ? row.StateCreatedAt : null,
        StateData = data,
    };

    public static FetchedJobDto Fetched(MonitoredJobRow row, LoadedJob job, Dictionary<string, string> data) => new()
    {
        Job = job.Job,
        InvocationData = job.InvocationData,
        LoadException = job.LoadException,
        State = row.StateName,
        FetchedAt = row.FetchedAt,
    };

    public static ProcessingJobDto Processing(MonitoredJobRow row, LoadedJob job, Dictionary<string, string> data) => new()
    {
        Job = job.Job,
        InvocationData = job.InvocationData,
        LoadException = job.LoadException,
        InProcessingState = row.IsIn(ProcessingState.StateName),
        // Servers before 1.5 wrote ServerName; old histories still carry it.
        ServerId = data.Value("ServerId") ?? data.Value("ServerName"),
        StartedAt = row.StateCreatedAt,
        StateData = data,
    };

    public static ScheduledJobDto Scheduled(MonitoredJobRow row, LoadedJob job, Dictionary<string, string> data) => new()
    {
        Job = job.Job,
        InvocationData = job.InvocationData,
        LoadException = job.LoadException,
        InScheduledState = row.IsIn(ScheduledState.StateName),
        EnqueueAt = JobHelper.DeserializeNullableDateTime(data.Value("EnqueueAt")) ?? DateTime.MinValue,
        ScheduledAt = row.StateCreatedAt,
        StateData = data,
    };

    public static SucceededJobDto Succeeded(MonitoredJobRow row, LoadedJob job, Dictionary<string, string> data) => new()
    {
        Job = job.Job,
        InvocationData = job.InvocationData,
        LoadException = job.LoadException,
        InSucceededState = row.IsIn(SucceededState.StateName),
        Result = data.Value("Result"),
        TotalDuration = data.Value("PerformanceDuration") is { } duration && data.Value("Latency") is { } latency
            ? long.Parse(duration, CultureInfo.InvariantCulture) + long.Parse(latency, CultureInfo.InvariantCulture)
            : null,
        SucceededAt = row.StateCreatedAt,
        StateData = data,
    };

    public static FailedJobDto Failed(MonitoredJobRow row, LoadedJob job, Dictionary<string, string> data) => new()
    {
        Job = job.Job,
        InvocationData = job.InvocationData,
        LoadException = job.LoadException,
        InFailedState = row.IsIn(FailedState.StateName),
        Reason = row.StateReason,
        ExceptionType = data.Value("ExceptionType"),
        ExceptionMessage = data.Value("ExceptionMessage"),
        ExceptionDetails = data.Value("ExceptionDetails"),
        FailedAt = row.StateCreatedAt,
        StateData = data,
    };

    public static DeletedJobDto Deleted(MonitoredJobRow row, LoadedJob job, Dictionary<string, string> data) => new()
    {
        Job = job.Job,
        InvocationData = job.InvocationData,
        LoadException = job.LoadException,
        InDeletedState = row.IsIn(DeletedState.StateName),
        DeletedAt = row.StateCreatedAt,
        StateData = data,
    };

    public static AwaitingJobDto Awaiting(MonitoredJobRow row, LoadedJob job, Dictionary<string, string> data) => new()
    {
        Job = job.Job,
        InvocationData = job.InvocationData,
        LoadException = job.LoadException,
        InAwaitingState = row.IsIn(AwaitingState.StateName),
        AwaitingAt = row.StateCreatedAt,
        StateData = data,
    };

    /// <summary>The parent a continuation waits for, when it is a job id of this storage.</summary>
    public static long? ParentId(AwaitingJobDto? dto) =>
        dto is { InAwaitingState: true } && dto.StateData.Value("ParentId") is { } parent && JobIds.TryParse(parent, out var id)
            ? id
            : null;
}
