namespace JobServer.Concurrency;

/// <summary>What happens to a job whose key already has <see cref="ConcurrencyLimitAttribute.Limit"/> jobs in flight.</summary>
public enum ConcurrencyLimitMode
{
    /// <summary>
    /// Creation is refused with <see cref="ConcurrencyLimitReachedException"/> before the job row exists, so nothing is
    /// written. A recurring occurrence is skipped instead. A job that already exists and comes back into flight (a
    /// requeue, a continuation whose parent ended) is never refused by Hangfire's machinery: it waits, as in
    /// <see cref="Wait"/>.
    /// </summary>
    Reject,

    /// <summary>
    /// The job is created in Hangfire's Awaiting state and enqueued when a slot frees, oldest first. Waiting has no
    /// timeout, so it never fails the job.
    /// </summary>
    Wait,
}
