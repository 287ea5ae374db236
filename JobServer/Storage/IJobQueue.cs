namespace JobServer.Storage;

/// <summary>
/// The workers' hot path. Every method after <see cref="Claim"/> is guarded by the claim: it changes the job only
/// while its queue row still names <c>serverId</c> and the job is still under the claim's lease, and reports whether it did. A server that lost a job (declared
/// dead, or the job was deleted) therefore can never overwrite what happened to it since.
/// </summary>
public interface IJobQueue
{
    /// <summary>Claims up to <paramref name="max"/> ready jobs of <paramref name="queue"/> in one short transaction
    /// (SELECT … FOR UPDATE SKIP LOCKED): two servers never hold the same job. Claimed jobs are Processing, attempt counted.</summary>
    IReadOnlyList<ClaimedJob> Claim(string queue, string serverId, int max, DateTime now);

    bool SetSucceededIfClaimed(ClaimedJob job, string serverId, string? resultJson, DateTime now, DateTime expireAt);

    /// <summary>Records many successes in one transaction — a handful of statements for the whole batch instead of
    /// several per job — each still guarded by its own claim and lease. Returns, in order, whether each was recorded.</summary>
    IReadOnlyList<bool> SetSucceededIfClaimed(IReadOnlyList<SucceededJob> jobs, string serverId, DateTime now, DateTime expireAt);

    bool SetFailedIfClaimed(ClaimedJob job, string serverId, JobFailure failure, string reason, DateTime now);

    /// <summary>Records the failed attempt and schedules the next one at <paramref name="runAt"/>.</summary>
    bool ScheduleRetryIfClaimed(ClaimedJob job, string serverId, JobFailure failure, string reason, DateTime runAt, DateTime now);

    /// <summary>Returns an unfinished job to its queue (graceful shutdown); the interrupted attempt is not counted.</summary>
    bool ReleaseIfClaimed(ClaimedJob job, string serverId, string reason, DateTime now);

    /// <summary>Of <paramref name="ids"/>, the jobs whose claim by <paramref name="serverId"/> is gone (deleted or recovered).</summary>
    IReadOnlyList<long> FindLostClaims(string serverId, IReadOnlyCollection<long> ids);

    /// <summary>
    /// Returns to their queue the jobs claimed by <paramref name="serverId"/> that are not among
    /// <paramref name="executing"/>, the jobs the server knows it holds: claims whose COMMIT went through although
    /// the server was told it failed (the connection died with the answer, as when MariaDB shuts down). Nobody would
    /// run them otherwise, since their server is alive. The attempt that never started is given back.
    /// </summary>
    IReadOnlyList<long> ReleaseUnknownClaims(string serverId, IReadOnlyCollection<long> executing, string reason, DateTime now);

    void SetProgress(long id, long done, long total);
}
