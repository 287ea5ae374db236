namespace JobServer.Storage.MySql.Queue;

/// <summary>The statements on hf_job_queue. Only the fetch path and its fences live here.</summary>
internal static class QueueSql
{
    public const string Enqueue = "INSERT INTO hf_job_queue (job_id, queue) VALUES (@jobId, @queue)";

    /// <summary>Read committed: the claim locks only the rows it reads, never a gap a concurrent enqueue inserts into.</summary>
    public const string BeginClaim = """
        SET TRANSACTION ISOLATION LEVEL READ COMMITTED;
        START TRANSACTION
        """;

    // Rows another fetcher holds are skipped, not waited for: fetchers never queue behind each other.
    public const string SelectClaimable = """
        SELECT id AS RowId, job_id AS JobId, queue AS Queue
        FROM hf_job_queue
        WHERE queue = @queue AND fetched_at IS NULL
        ORDER BY id
        LIMIT @limit
        FOR UPDATE SKIP LOCKED
        """;

    public const string MarkFetched = """
        UPDATE hf_job_queue
        SET fetched_at = UTC_TIMESTAMP(6), fetched_by = @owner, fetch_token = @token
        WHERE id IN @ids;
        COMMIT
        """;

    public const string Commit = "COMMIT";

    public const string Rollback = "ROLLBACK";

    /// <summary>Acknowledge: only the holder of the current token removes the row.</summary>
    public const string DeleteFetched = """
        DELETE FROM hf_job_queue
        WHERE id = @id AND fetch_token = @token
        """;

    /// <summary>Give back: only the holder of the current token makes the row visible again.</summary>
    public const string Requeue = """
        UPDATE hf_job_queue
        SET fetched_at = NULL, fetched_by = NULL, fetch_token = NULL
        WHERE id = @id AND fetch_token = @token
        """;

    /// <summary>
    /// One statement keeps every job this process holds invisible: a keep-alive per process, not per job. It names the
    /// tokens the process knows it holds, so a claim that committed while its reply was lost is not kept alive for good.
    /// </summary>
    public const string KeepAlive = """
        UPDATE hf_job_queue
        SET fetched_at = UTC_TIMESTAMP(6)
        WHERE fetched_by = @owner AND fetch_token IN @tokens
        """;

    /// <summary>Rows whose owner stopped refreshing them for the invisibility timeout go back to their queues.</summary>
    public const string RequeueAbandoned = """
        UPDATE hf_job_queue
        SET fetched_at = NULL, fetched_by = NULL, fetch_token = NULL
        WHERE fetched_at < UTC_TIMESTAMP(6) - INTERVAL @staleSeconds SECOND
        """;

    public const string SelectQueuesOfAbandoned = """
        SELECT DISTINCT queue
        FROM hf_job_queue
        WHERE fetched_at < UTC_TIMESTAMP(6) - INTERVAL @staleSeconds SECOND
        """;
}
