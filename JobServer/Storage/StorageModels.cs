using JobServer.Engine.States;

namespace JobServer.Storage;

/// <summary>A job to create. It is Scheduled when <see cref="RunAt"/> lies in the future, Enqueued otherwise — or
/// Awaiting when its <see cref="Concurrency"/> key is full and the type waits.</summary>
public sealed record NewJob(
    string Type,
    string Queue,
    string ArgsJson,
    DateTime? RunAt = null,
    ConcurrencyRequest? Concurrency = null,
    ContinuationRequest? After = null)
{
    /// <summary>No concurrency key and no parent: creating it needs no lock and no decision.</summary>
    public bool IsPlain => Concurrency is null && After is null;
}

/// <summary>Run the new job only after job <see cref="ParentId"/> ends: when it succeeds, or — with
/// <see cref="OnAnyFinalState"/> — when it succeeds, fails for good or is deleted.</summary>
public sealed record ContinuationRequest(long ParentId, bool OnAnyFinalState);

/// <summary>The concurrency lease a job needs: at most <see cref="Limit"/> jobs in flight per <see cref="Key"/>.
/// When full: <see cref="WaitWhenFull"/> makes the job Awaiting, otherwise creation fails with
/// <see cref="ConcurrencyLimitReachedException"/>.</summary>
public sealed record ConcurrencyRequest(string Key, int Limit, bool WaitWhenFull);

/// <summary>A job just created: its id and the state it was created in.</summary>
public sealed record CreatedJob(long Id, JobState State);

/// <summary>A job this server has claimed: it is Processing and its queue row names this server. <see cref="Lease"/>
/// identifies this claim among all claims of the job, ever; outcomes are written only under it.</summary>
public sealed record ClaimedJob(long Id, string Type, string Queue, string ArgsJson, int Attempt, long Lease);

/// <summary>A claimed job that succeeded, with its result (JSON, or null).</summary>
public sealed record SucceededJob(ClaimedJob Job, string? ResultJson);

/// <summary>What a failed attempt left behind: exception type, message and the full text with stack trace.</summary>
public sealed record JobFailure(string ExceptionType, string Message, string Details)
{
    public static JobFailure From(Exception exception) =>
        new(exception.GetType().FullName ?? exception.GetType().Name, exception.Message, exception.ToString());
}

public enum ChangeOutcome
{
    Changed,
    NotFound,
    NotAllowed,
}

/// <summary>The result of an operator's state change: whether it happened, the state the job was in, and the one it is in now.</summary>
public sealed record StateChange(ChangeOutcome Outcome, JobState? PreviousState = null, JobState? NewState = null)
{
    public static readonly StateChange NotFound = new(ChangeOutcome.NotFound);
}

public sealed record PromotionResult(int Count, IReadOnlyCollection<string> Queues)
{
    public static readonly PromotionResult None = new(0, []);
}

public sealed record RecoveryResult(IReadOnlyList<string> DeadServers, int RequeuedJobs)
{
    public static readonly RecoveryResult None = new([], 0);
}

public sealed record ServerInfo(string Id, IReadOnlyList<string> Queues, int Workers, int Busy, DateTime StartedAt, DateTime HeartbeatAt);

public sealed record HistoryEntry(
    JobState State,
    DateTime At,
    string? ServerId,
    string? Reason,
    string? ExceptionType,
    string? ExceptionMessage,
    string? ExceptionDetails);

public sealed record JobProgress(long Done, long Total);

public sealed record JobSummary(
    long Id,
    string Type,
    string Queue,
    JobState State,
    int Attempts,
    DateTime CreatedAt,
    DateTime? StartedAt,
    DateTime? FinishedAt,
    JobProgress? Progress);

/// <summary>A job with everything the detail views show; <see cref="ParentId"/> is the job it continues, and
/// <see cref="Continuations"/> the jobs that continue it.</summary>
public sealed record JobDetails(
    JobSummary Summary,
    string ArgsJson,
    string? ResultJson,
    IReadOnlyList<HistoryEntry> History,
    long? ParentId = null,
    IReadOnlyList<JobLink>? Continuations = null);

/// <summary>Another job, as far as a link to it needs.</summary>
public sealed record JobLink(long Id, string Type, JobState State);

public sealed record JobQuery(JobState? State, string? Queue, string? Type, int Page, int PageSize);

public sealed record JobPage(IReadOnlyList<JobSummary> Items, long Total);

public sealed record QueueStats(long Enqueued, long Processing, long Scheduled, long Awaiting);


/// <summary>Counts per state and per queue; <see cref="Totals"/> are all-time outcome counts (Succeeded, Failed) that only grow.</summary>
public sealed record StatsSnapshot(
    IReadOnlyDictionary<JobState, long> States,
    IReadOnlyDictionary<string, QueueStats> Queues,
    IReadOnlyDictionary<JobState, long> Totals);

/// <summary>One page of a keyset-paged list, newest first; <see cref="NextBeforeId"/> continues it (null at the end).</summary>
public sealed record KeysetPage(IReadOnlyList<JobSummary> Items, long? NextBeforeId);

public sealed record HourlyCount(DateTime Hour, long Succeeded, long Failed);

/// <summary>A queue's length, and since when its oldest waiting job has existed (null when none waits).</summary>
public sealed record QueueInfo(string Name, QueueStats Counts, DateTime? OldestWaitingSince);
