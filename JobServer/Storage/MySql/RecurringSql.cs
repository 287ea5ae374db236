namespace JobServer.Storage.MySql;

internal static class RecurringSql
{
    private const string Columns = """
        r.id AS Id, r.cron AS Cron, r.time_zone AS TimeZone, r.type AS Type, r.args AS ArgsJson, r.queue AS Queue,
        r.misfire AS Misfire, r.paused AS Paused, r.next_run_at AS NextRunAt, r.last_run_at AS LastRunAt,
        r.last_job_id AS LastJobId, j.state AS LastJobState, r.created_at AS CreatedAt, r.updated_at AS UpdatedAt
        """;

    // Locking reads touch js_recurring only: joining js_job there would also lock the last job's row and make
    // SKIP LOCKED pass over a definition whose last job a worker is just completing.
    private const string OwnColumns = """
        id AS Id, cron AS Cron, time_zone AS TimeZone, type AS Type, args AS ArgsJson, queue AS Queue,
        misfire AS Misfire, paused AS Paused, next_run_at AS NextRunAt, last_run_at AS LastRunAt,
        last_job_id AS LastJobId, NULL AS LastJobState, created_at AS CreatedAt, updated_at AS UpdatedAt
        """;

    public const string SelectOne = $"""
        SELECT {Columns}
        FROM js_recurring r
        LEFT JOIN js_job j ON j.id = r.last_job_id
        WHERE r.id = @id
        """;

    public const string SelectAll = $"""
        SELECT {Columns}
        FROM js_recurring r
        LEFT JOIN js_job j ON j.id = r.last_job_id
        ORDER BY r.id
        """;

    public const string LockOne = """
        SELECT cron AS Cron, time_zone AS TimeZone
        FROM js_recurring
        WHERE id = @id
        FOR UPDATE
        """;

    public const string Insert = """
        INSERT INTO js_recurring (id, cron, time_zone, type, args, queue, misfire, paused, next_run_at, created_at, updated_at)
        VALUES (@id, @cron, @timeZone, @type, @args, @queue, @misfire, 0, @nextRunAt, @now, @now)
        """;

    public const string Update = """
        UPDATE js_recurring
        SET cron = @cron, time_zone = @timeZone, type = @type, args = @args, queue = @queue, misfire = @misfire,
            next_run_at = CASE WHEN @scheduleChanged THEN @nextRunAt ELSE next_run_at END, updated_at = @now
        WHERE id = @id
        """;

    public const string Delete = """
        DELETE FROM js_recurring
        WHERE id = @id
        """;

    public const string SetPaused = """
        UPDATE js_recurring
        SET paused = @paused, next_run_at = CASE WHEN @paused THEN next_run_at ELSE @nextRunAt END, updated_at = @now
        WHERE id = @id
        """;

    // Due definitions no other server is firing right now; the one that holds the row fires it, the others skip it.
    public const string SelectDueForFiring = $"""
        SELECT {OwnColumns}
        FROM js_recurring
        WHERE paused = 0
          AND next_run_at <= @now
        ORDER BY next_run_at
        LIMIT @max
        FOR UPDATE SKIP LOCKED
        """;

    public const string SelectForTrigger = $"""
        SELECT {OwnColumns}
        FROM js_recurring
        WHERE id = @id
        FOR UPDATE
        """;

    public const string InsertRun = """
        INSERT INTO js_recurring_run (recurring_id, run_at, job_id)
        VALUES (@id, @occurrence, @jobId)
        """;

    public const string RecordFired = """
        UPDATE js_recurring
        SET next_run_at = @nextRunAt, last_run_at = COALESCE(@occurrence, last_run_at), last_job_id = COALESCE(@jobId, last_job_id)
        WHERE id = @id
          AND next_run_at = @expectedNextRunAt
        """;

    public const string RecordTriggered = """
        UPDATE js_recurring
        SET last_run_at = @now, last_job_id = @jobId
        WHERE id = @id
        """;
}
