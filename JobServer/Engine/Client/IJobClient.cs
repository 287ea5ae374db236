using JobServer.Storage;

namespace JobServer.Engine.Client;

/// <summary>
/// Creates and steers jobs, in the manner of Hangfire's BackgroundJobClient. Thread-safe. Every method validates
/// before writing (a refused request writes nothing and throws <see cref="JobValidationException"/>) and commits
/// before returning: a returned id is a durable job. Synchronous because the MySQL driver is.
/// </summary>
public interface IJobClient
{
    /// <summary>Creates a job from a request; Scheduled when <see cref="JobRequest.RunAt"/> is in the future, Awaiting when
    /// its type's concurrency key is full and the type waits.</summary>
    /// <exception cref="ConcurrencyLimitReachedException">The key is full and the type rejects.</exception>
    CreatedJob Create(JobRequest request);

    /// <summary>
    /// Creates many jobs all-or-nothing, in one transaction; the result is in request order. Every request is
    /// validated first, as <see cref="Create"/> does: the first invalid one throws <see cref="JobValidationException"/>
    /// with its field prefixed by its index (<c>jobs[3].args.ms</c>) and nothing is written.
    /// </summary>
    /// <exception cref="JobBatchItemException">Item <see cref="JobBatchItemException.Index"/> was refused by storage
    /// (its concurrency key is full, or its parent is missing or deleted); nothing written.</exception>
    IReadOnlyList<CreatedJob> CreateMany(IReadOnlyList<JobRequest> requests);

    long Enqueue(string type, object? args = null, string? queue = null);

    long Enqueue<TJob>(object? args = null, string? queue = null);

    long Schedule(string type, object? args, TimeSpan delay, string? queue = null);

    long Schedule(string type, object? args, DateTimeOffset runAt, string? queue = null);

    long Schedule<TJob>(object? args, TimeSpan delay, string? queue = null);

    /// <summary>
    /// Creates a job that waits (Awaiting) until job <paramref name="parentId"/> succeeds — or, with
    /// <paramref name="onAnyFinalState"/>, until it ends in any final state. If the parent is deleted, a child that
    /// needed its success is deleted too; if the parent fails, such a child keeps waiting (the parent may be requeued).
    /// </summary>
    /// <exception cref="ContinuationParentException">No such parent, or it is deleted and the child needs a success.</exception>
    long ContinueWith(long parentId, string type, object? args = null, string? queue = null, bool onAnyFinalState = false);

    long ContinueWith<TJob>(long parentId, object? args = null, string? queue = null, bool onAnyFinalState = false);

    /// <summary>Runs a finished, failed, deleted or scheduled job again, with a fresh set of attempts.</summary>
    StateChange Requeue(long id);

    /// <summary>Deletes a job; a running one is cancelled through its CancellationToken.</summary>
    StateChange Delete(long id);
}
