namespace JobServer.Storage.MySql;

internal static class ConcurrencySql
{
    // Upsert without a warning (INSERT IGNORE would make the driver run SHOW WARNINGS), then lock: every taker and
    // giver of this key's leases queues on this one row, so the count below cannot go stale before the insert.
    public const string LockKey = """
        INSERT INTO js_concurrency_key (concurrency_key)
        VALUES (@key)
        ON DUPLICATE KEY UPDATE concurrency_key = concurrency_key;
        SELECT concurrency_key
        FROM js_concurrency_key
        WHERE concurrency_key = @key
        FOR UPDATE;
        """;

    public const string SelectHolders = """
        SELECT job_id
        FROM js_concurrency_lease
        WHERE concurrency_key = @key
        ORDER BY job_id
        """;

    public const string InsertLease = """
        INSERT INTO js_concurrency_lease (concurrency_key, job_id)
        VALUES (@key, @id)
        """;

    public const string InsertWait = """
        INSERT INTO js_concurrency_wait (job_id, concurrency_key, queue, run_at)
        VALUES (@id, @key, @queue, @runAt)
        """;

    public const string SelectLeaseOfJob = """
        SELECT concurrency_key
        FROM js_concurrency_lease
        WHERE job_id = @id
        """;

    public const string DeleteLease = """
        DELETE FROM js_concurrency_lease
        WHERE job_id = @id
        """;

    public const string SelectNextWaiting = """
        SELECT job_id AS JobId, queue AS Queue, run_at AS RunAt
        FROM js_concurrency_wait
        WHERE concurrency_key = @key
        ORDER BY job_id
        LIMIT 1
        FOR UPDATE
        """;

    public const string DeleteWait = """
        DELETE FROM js_concurrency_wait
        WHERE job_id = @id
        """;

    public const string SetScheduled = """
        INSERT INTO js_schedule (job_id, queue, run_at)
        VALUES (@id, @queue, @runAt);
        UPDATE js_job
        SET state = 'Scheduled'
        WHERE id = @id;
        """;
}
