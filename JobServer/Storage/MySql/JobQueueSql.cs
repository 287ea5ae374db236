namespace JobServer.Storage.MySql;

internal static class JobQueueSql
{
    // Reads only the small ready index; rows another server is claiming right now are skipped, not waited for.
    public const string SelectReadyForClaim = """
        SELECT job_id
        FROM js_queue
        WHERE queue = @queue
          AND claimed_by IS NULL
        ORDER BY job_id
        LIMIT @max
        FOR UPDATE SKIP LOCKED
        """;

    public const string MarkClaimed = """
        UPDATE js_queue
        SET claimed_by = @serverId, claimed_at = @now
        WHERE job_id IN @ids;
        UPDATE js_job
        SET state = 'Processing', attempts = attempts + 1, lease = lease + 1, server_id = @serverId, started_at = @now,
            finished_at = NULL, progress_done = NULL, progress_total = NULL
        WHERE id IN @ids;
        INSERT INTO js_job_history (job_id, state, at, server_id)
        SELECT id, 'Processing', @now, @serverId
        FROM js_job
        WHERE id IN @ids;
        SELECT id AS Id, type AS Type, queue AS Queue, args AS ArgsJson, attempts AS Attempt, lease AS Lease
        FROM js_job
        WHERE id IN @ids
        ORDER BY id;
        """;

    // The claim guard: the queue row must still name this server, and the job must still be under this claim's lease.
    public const string DeleteClaim = """
        DELETE FROM js_queue
        WHERE job_id = @id
          AND claimed_by = @serverId
        """;

    public const string ReleaseClaim = """
        UPDATE js_queue
        SET claimed_by = NULL, claimed_at = NULL
        WHERE job_id = @id
          AND claimed_by = @serverId
        """;

    // The batch forms of the claim guard: lock the claims still ours, then the jobs still under those claims' leases.
    public const string LockOwnClaims = """
        SELECT job_id
        FROM js_queue
        WHERE job_id IN @ids
          AND claimed_by = @serverId
        FOR UPDATE
        """;

    public const string LockProcessingJobs = """
        SELECT id AS Id, lease AS Lease
        FROM js_job
        WHERE id IN @ids
          AND state = 'Processing'
        FOR UPDATE
        """;

    public const string DeleteClaims = """
        DELETE FROM js_queue
        WHERE job_id IN @ids
        """;

    public const string InsertHistoryForJobs = """
        INSERT INTO js_job_history (job_id, state, at, server_id)
        SELECT id, @state, @now, @serverId
        FROM js_job
        WHERE id IN @ids
        """;

    /// <summary>The first command of a success batch in a statement transaction: lock the claims still ours, then the
    /// jobs still Processing under them (claims first, like every other path); and count the batch's followers —
    /// lease holders and parents — which need the full path.</summary>
    public const string LockSuccessBatch = """
        SELECT job_id
        FROM js_queue
        WHERE job_id IN @ids
          AND claimed_by = @serverId
        FOR UPDATE;
        SELECT id AS Id, lease AS Lease
        FROM js_job
        WHERE id IN (SELECT job_id FROM js_queue WHERE job_id IN @ids AND claimed_by = @serverId)
          AND state = 'Processing'
        FOR UPDATE;
        SELECT (SELECT COUNT(*) FROM js_concurrency_lease WHERE job_id IN @ids)
             + (SELECT COUNT(*) FROM js_continuation WHERE parent_id IN @ids);
        """;

    /// <summary>Followers with a lease or children are rare; these find them for the whole batch in one query each.</summary>
    public const string SelectLeaseHolders = """
        SELECT job_id
        FROM js_concurrency_lease
        WHERE job_id IN @ids
        """;

    public const string SelectParents = """
        SELECT DISTINCT parent_id
        FROM js_continuation
        WHERE parent_id IN @ids
        """;

    /// <summary>Around a <c>CASE id WHEN @iN THEN @rN … END</c> that gives each job its own result.</summary>
    public const string SetSucceededManyPrefix = """
        UPDATE js_job
        SET state = 'Succeeded', finished_at = @now, expire_at = @expireAt, result =
        """;

    public const string SetSucceededManySuffix = """

        WHERE id IN @ids
        """;

    public const string SetSucceeded = """
        UPDATE js_job
        SET state = 'Succeeded', finished_at = @now, expire_at = @expireAt, result = @result
        WHERE id = @id
          AND state = 'Processing'
          AND lease = @lease
        """;

    public const string SetFailed = """
        UPDATE js_job
        SET state = 'Failed', finished_at = @now
        WHERE id = @id
          AND state = 'Processing'
          AND lease = @lease
        """;

    public const string SetScheduledForRetry = """
        UPDATE js_job
        SET state = 'Scheduled', server_id = NULL
        WHERE id = @id
          AND state = 'Processing'
          AND lease = @lease
        """;

    public const string InsertSchedule = """
        INSERT INTO js_schedule (job_id, queue, run_at)
        VALUES (@id, @queue, @runAt)
        """;

    // The interrupted attempt is given back: a deploy must not use up a job's retries.
    public const string SetReleased = """
        UPDATE js_job
        SET state = 'Enqueued', attempts = attempts - 1, server_id = NULL, started_at = NULL
        WHERE id = @id
          AND state = 'Processing'
          AND lease = @lease
        """;

    public const string SelectOwnClaims = """
        SELECT job_id
        FROM js_queue
        WHERE claimed_by = @serverId
        """;

    // A claim its server never knew of: the job never started, so the attempt is given back, as at shutdown.
    public const string ReleaseUnknownClaims = """
        UPDATE js_queue
        SET claimed_by = NULL, claimed_at = NULL
        WHERE job_id IN @ids;
        UPDATE js_job
        SET state = 'Enqueued', attempts = attempts - 1, server_id = NULL, started_at = NULL
        WHERE id IN @ids
          AND state = 'Processing';
        """;

    public const string SelectStillClaimed = """
        SELECT id
        FROM js_job
        WHERE id IN @ids
          AND state = 'Processing'
          AND server_id = @serverId
        """;

    public const string SetProgress = """
        UPDATE js_job
        SET progress_done = @done, progress_total = @total
        WHERE id = @id
        """;
}
