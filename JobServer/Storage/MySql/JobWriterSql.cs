namespace JobServer.Storage.MySql;

internal static class JobWriterSql
{
    // LAST_INSERT_ID() keeps the job's id until the history insert completes, so one round trip creates all three rows.
    public const string CreateEnqueued = """
        INSERT INTO js_job (type, queue, args, state, attempts, created_at, parent_id)
        VALUES (@type, @queue, @args, 'Enqueued', 0, @now, @parentId);
        INSERT INTO js_queue (job_id, queue)
        VALUES (LAST_INSERT_ID(), @queue);
        SELECT LAST_INSERT_ID();
        INSERT INTO js_job_history (job_id, state, at, reason)
        VALUES (LAST_INSERT_ID(), 'Enqueued', @now, @reason);
        """;

    public const string CreateScheduled = """
        INSERT INTO js_job (type, queue, args, state, attempts, created_at, parent_id)
        VALUES (@type, @queue, @args, 'Scheduled', 0, @now, @parentId);
        INSERT INTO js_schedule (job_id, queue, run_at)
        VALUES (LAST_INSERT_ID(), @queue, @runAt);
        SELECT LAST_INSERT_ID();
        INSERT INTO js_job_history (job_id, state, at, reason)
        VALUES (LAST_INSERT_ID(), 'Scheduled', @now, @reason);
        """;

    /// <summary>One plain Enqueued job of a group sent as one command (see <see cref="MySqlJobWriter.CreatePlain"/>):
    /// <c>{0}</c> is the job's position, which suffixes its parameter names.</summary>
    public const string CreateEnqueuedInGroup = """
        INSERT INTO js_job (type, queue, args, state, attempts, created_at)
        VALUES (@type{0}, @queue{0}, @args{0}, 'Enqueued', 0, @now);
        INSERT INTO js_queue (job_id, queue)
        VALUES (LAST_INSERT_ID(), @queue{0});
        SELECT LAST_INSERT_ID();
        INSERT INTO js_job_history (job_id, state, at, reason)
        VALUES (LAST_INSERT_ID(), 'Enqueued', @now, NULL);
        """;

    /// <summary>One plain Scheduled job of a group; <c>{0}</c> as in <see cref="CreateEnqueuedInGroup"/>.</summary>
    public const string CreateScheduledInGroup = """
        INSERT INTO js_job (type, queue, args, state, attempts, created_at)
        VALUES (@type{0}, @queue{0}, @args{0}, 'Scheduled', 0, @now);
        INSERT INTO js_schedule (job_id, queue, run_at)
        VALUES (LAST_INSERT_ID(), @queue{0}, @runAt{0});
        SELECT LAST_INSERT_ID();
        INSERT INTO js_job_history (job_id, state, at, reason)
        VALUES (LAST_INSERT_ID(), 'Scheduled', @now, @reason{0});
        """;

    /// <summary>An Awaiting job whose wait is over (parent finished, concurrency lease handed on) joins its queue.</summary>
    public const string EnqueueAwaiting = """
        INSERT INTO js_queue (job_id, queue)
        VALUES (@id, @queue);
        UPDATE js_job
        SET state = 'Enqueued'
        WHERE id = @id;
        """;

    public const string CreateAwaiting = """
        INSERT INTO js_job (type, queue, args, state, attempts, created_at, parent_id)
        VALUES (@type, @queue, @args, 'Awaiting', 0, @now, @parentId);
        SELECT LAST_INSERT_ID();
        INSERT INTO js_job_history (job_id, state, at, reason)
        VALUES (LAST_INSERT_ID(), 'Awaiting', @now, @reason);
        """;

    // Lock order everywhere: queue/schedule row first, then the job row. Claims and completions take the same
    // order, so an operator's change and a worker's never deadlock each other.
    public const string LockForChange = """
        SELECT job_id FROM js_queue WHERE job_id = @id FOR UPDATE;
        SELECT job_id FROM js_schedule WHERE job_id = @id FOR UPDATE;
        SELECT state AS StateName, queue AS Queue, type AS Type, args AS Args FROM js_job WHERE id = @id FOR UPDATE;
        """;

    public const string Requeue = """
        DELETE FROM js_schedule
        WHERE job_id = @id;
        INSERT INTO js_queue (job_id, queue)
        VALUES (@id, @queue);
        UPDATE js_job
        SET state = 'Enqueued', attempts = 0, server_id = NULL, started_at = NULL, finished_at = NULL,
            expire_at = NULL, progress_done = NULL, progress_total = NULL, result = NULL
        WHERE id = @id;
        """;

    public const string RequeueAwaiting = """
        DELETE FROM js_schedule
        WHERE job_id = @id;
        UPDATE js_job
        SET state = 'Awaiting', attempts = 0, server_id = NULL, started_at = NULL, finished_at = NULL,
            expire_at = NULL, progress_done = NULL, progress_total = NULL, result = NULL
        WHERE id = @id;
        """;

    public const string Delete = """
        DELETE FROM js_queue
        WHERE job_id = @id;
        DELETE FROM js_schedule
        WHERE job_id = @id;
        UPDATE js_job
        SET state = 'Deleted', finished_at = @now, expire_at = @expireAt
        WHERE id = @id;
        """;
}
