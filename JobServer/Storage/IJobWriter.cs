using JobServer.Engine.States;

namespace JobServer.Storage;

/// <summary>Creates jobs and applies operators' state changes. Every change appends a history row in the same transaction.</summary>
public interface IJobWriter
{
    /// <summary>Persists the job, its first history row, its queue or schedule row and its concurrency lease (or place
    /// in the key's line) atomically.</summary>
    /// <exception cref="ConcurrencyLimitReachedException">The job's key is full and its type rejects; nothing written.</exception>
    CreatedJob Create(NewJob job, DateTime now);

    /// <summary>Persists plain jobs — no concurrency key, no parent — in one transaction, each exactly as
    /// <see cref="Create"/> would, and returns them in input order. Cheap enough for a group of one: the engine's
    /// group commit hands it whatever concurrent callers queued.</summary>
    IReadOnlyList<CreatedJob> CreatePlain(IReadOnlyList<NewJob> jobs, DateTime now);

    /// <summary>Persists many jobs in ONE transaction, each exactly as <see cref="Create"/> would; returns them in
    /// input order. All-or-nothing: a refused job aborts the whole batch.</summary>
    /// <exception cref="JobBatchItemException">Job <see cref="JobBatchItemException.Index"/> was refused (its inner
    /// exception is the <see cref="ConcurrencyLimitReachedException"/> or <see cref="ContinuationParentException"/>);
    /// nothing written.</exception>
    IReadOnlyList<CreatedJob> CreateMany(IReadOnlyList<NewJob> jobs, DateTime now);

    /// <summary>Puts a finished, failed, deleted or scheduled job back on its queue with a fresh set of attempts.
    /// Refused (NotAllowed) for jobs that are Enqueued, Processing or Awaiting. A job that gave its concurrency lease
    /// back takes one again: <paramref name="concurrencyOf"/> maps the stored type and arguments to the lease it needs.</summary>
    /// <exception cref="ConcurrencyLimitReachedException">The job's key is full and its type rejects; nothing written.</exception>
    StateChange Requeue(long id, string reason, DateTime now, Func<string, string, ConcurrencyRequest?> concurrencyOf);

    /// <summary>Moves a job to Deleted and takes it off its queue or schedule; a Processing job loses its claim,
    /// which tells its server to cancel it; its concurrency lease passes to the next job waiting for the key.
    /// Refused for jobs already Deleted.</summary>
    StateChange Delete(long id, string reason, DateTime now, DateTime expireAt);
}
