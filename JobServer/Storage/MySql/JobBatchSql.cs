namespace JobServer.Storage.MySql;

/// <summary>Statements of <see cref="JobBatchCreation"/>: multi-row inserts for a chunk of plain jobs.</summary>
internal static class JobBatchSql
{
    /// <summary>Whether a multi-row INSERT is documented to take consecutive ids: lock mode 0 ("traditional") or
    /// 1 ("consecutive") and a step of 1.</summary>
    public const string AutoIncrementSettings = """
        SELECT @@innodb_autoinc_lock_mode AS LockMode, @@auto_increment_increment AS Increment
        """;

    /// <summary>A savepoint before each chunk, so a chunk whose ids fail verification can be undone and redone row by row.</summary>
    public const string Savepoint = "SAVEPOINT js_batch_chunk";

    public const string RollbackToSavepoint = "ROLLBACK TO SAVEPOINT js_batch_chunk";

    /// <summary>Followed by one <c>(@tN, @qN, @aN, 'State', 0, @now)</c> tuple per job, then <see cref="InsertJobsSuffix"/>.</summary>
    public const string InsertJobsPrefix = """
        INSERT INTO js_job (type, queue, args, state, attempts, created_at)
        VALUES
        """;

    /// <summary>The first id of the multi-row insert just run, and how many rows it wrote.</summary>
    public const string InsertJobsSuffix = """
        ;
        SELECT LAST_INSERT_ID() AS First, ROW_COUNT() AS Inserted;
        """;

    /// <summary>What occupies the id range a chunk believes it holds, in id order, to compare with what it inserted.</summary>
    public const string ReadRange = """
        SELECT id AS Id, type AS Type, queue AS Queue, state AS State, LENGTH(args) AS ArgsBytes
        FROM js_job
        WHERE id BETWEEN @first AND @last
          AND created_at = @now
        ORDER BY id
        """;

    public const string InsertQueueRows = """
        INSERT INTO js_queue (job_id, queue)
        SELECT id, queue
        FROM js_job
        WHERE id BETWEEN @first AND @last
          AND state = 'Enqueued'
        """;

    /// <summary>Followed by one <c>(id, @qN, @rN)</c> tuple per Scheduled job.</summary>
    public const string InsertScheduleRowsPrefix = """
        INSERT INTO js_schedule (job_id, queue, run_at)
        VALUES
        """;

    /// <summary>The first history row of every job in the range; the reason matches <see cref="JobCreation"/>'s
    /// ("Scheduled to run at {runAt:O}", with the stored microseconds).</summary>
    public const string InsertHistoryRows = """
        INSERT INTO js_job_history (job_id, state, at, reason)
        SELECT j.id, j.state, @now,
               CASE WHEN s.job_id IS NULL THEN NULL
                    ELSE CONCAT('Scheduled to run at ', DATE_FORMAT(s.run_at, '%Y-%m-%dT%H:%i:%s.%f'), '0Z') END
        FROM js_job j
        LEFT JOIN js_schedule s ON s.job_id = j.id
        WHERE j.id BETWEEN @first AND @last
        """;
}
