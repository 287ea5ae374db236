namespace JobServer.Storage.MySql;

internal static class MaintenanceSql
{
    public const string SelectExpiredForDelete = """
        SELECT id AS Id, state AS State
        FROM js_job
        WHERE expire_at < @now
        ORDER BY expire_at
        LIMIT @max
        FOR UPDATE SKIP LOCKED
        """;

    public const string DeleteJobs = """
        DELETE FROM js_job_history
        WHERE job_id IN @ids;
        DELETE FROM js_job
        WHERE id IN @ids;
        """;

    public const string DeleteOldRecurringRuns = """
        DELETE FROM js_recurring_run
        WHERE run_at < @before
        LIMIT @max
        """;

    // Hour counters are named hour:yyyyMMddHH:State, so "older than" is a range of names on the primary key.
    public const string DeleteOldHourlyCounters = """
        DELETE FROM js_stat
        WHERE name >= 'hour:'
          AND name < @before
        """;

    // A plain locking read (not SKIP LOCKED) waits for deltas still being committed, so none is folded twice or lost.
    public const string SelectDeltasForFold = """
        SELECT id AS Id, name AS Name, delta AS Delta
        FROM js_stat_delta
        ORDER BY id
        LIMIT @max
        FOR UPDATE
        """;

    public const string AddToCounter = """
        INSERT INTO js_stat (name, value)
        VALUES (@name, @delta)
        ON DUPLICATE KEY UPDATE value = value + @delta
        """;

    public const string DeleteDeltas = """
        DELETE FROM js_stat_delta
        WHERE id IN @ids
        """;
}
