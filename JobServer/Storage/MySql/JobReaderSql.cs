namespace JobServer.Storage.MySql;

internal static class JobReaderSql
{
    private const string SummaryColumns = """
        id AS Id, type AS Type, queue AS Queue, state AS State, attempts AS Attempts, created_at AS CreatedAt,
        started_at AS StartedAt, finished_at AS FinishedAt, progress_done AS ProgressDone, progress_total AS ProgressTotal
        """;

    public const string SelectJob = $"""
        SELECT {SummaryColumns}, args AS ArgsJson, result AS ResultJson, parent_id AS ParentId
        FROM js_job
        WHERE id = @id
        """;

    public const string SelectContinuations = """
        SELECT id AS Id, type AS Type, state AS State
        FROM js_job
        WHERE parent_id = @id
        ORDER BY id
        LIMIT 100
        """;

    public const string SelectHistory = """
        SELECT state AS State, at AS At, server_id AS ServerId, reason AS Reason, exception_type AS ExceptionType,
               exception_message AS ExceptionMessage, exception_details AS ExceptionDetails
        FROM js_job_history
        WHERE job_id = @id
        ORDER BY id
        """;

    // The list's optional filters are fixed fragments joined with AND; values always travel as parameters.
    public const string SelectPagePrefix = $"""
        SELECT {SummaryColumns}
        FROM js_job
        """;

    public const string SelectPageSuffix = """
        ORDER BY id DESC
        LIMIT @limit OFFSET @offset
        """;

    public const string CountPrefix = """
        SELECT COUNT(*)
        FROM js_job
        """;

    public const string FilterState = "state = @state";

    public const string FilterQueue = "queue = @queue";

    public const string FilterType = "type = @type";

    public const string SelectServers = ServerSql.SelectAll;

    public const string SelectBeforePrefix = $"""
        SELECT {SummaryColumns}
        FROM js_job
        WHERE state = @state
          AND id < @beforeId
        """;

    public const string SelectBeforeSuffix = """
        ORDER BY id DESC
        LIMIT @limit
        """;

    public const string AndQueue = "AND queue = @queue";

    public const string AndType = "AND type = @type";

    public const string SelectCountersInRange = """
        SELECT name AS Name, SUM(value) AS Value
        FROM (
          SELECT name, value FROM js_stat WHERE name >= @from AND name < @to
          UNION ALL
          SELECT name, delta FROM js_stat_delta WHERE name >= @from AND name < @to
        ) counters
        GROUP BY name
        """;

    // The oldest waiting job of each queue is its smallest unclaimed id: one step down ix_queue_ready per queue.
    public const string SelectOldestWaiting = """
        SELECT q.queue AS Queue, j.created_at AS CreatedAt
        FROM (
          SELECT queue, MIN(job_id) AS job_id
          FROM js_queue
          WHERE claimed_by IS NULL
          GROUP BY queue
        ) q
        JOIN js_job j ON j.id = q.job_id
        """;

    public const string SelectQueueCounts = """
        SELECT queue AS Queue, SUM(claimed_by IS NULL) AS Ready, SUM(claimed_by IS NOT NULL) AS Claimed
        FROM js_queue
        GROUP BY queue;
        SELECT queue AS Queue, COUNT(*) AS Scheduled
        FROM js_schedule
        GROUP BY queue;
        SELECT queue AS Queue, COUNT(*) AS Awaiting
        FROM (
          SELECT queue FROM js_concurrency_wait
          UNION ALL
          SELECT queue FROM js_continuation
        ) awaiting
        GROUP BY queue;
        SELECT name AS Name, SUM(value) AS Value
        FROM (
          SELECT name, value FROM js_stat
          UNION ALL
          SELECT name, delta FROM js_stat_delta
        ) counters
        GROUP BY name;
        """;

    public const string Ping = "SELECT 1";
}
