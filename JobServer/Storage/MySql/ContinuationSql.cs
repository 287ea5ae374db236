namespace JobServer.Storage.MySql;

internal static class ContinuationSql
{
    public const string LockParent = """
        SELECT state
        FROM js_job
        WHERE id = @parentId
        FOR UPDATE
        """;

    public const string Insert = """
        INSERT INTO js_continuation (job_id, parent_id, queue, on_any_final_state)
        VALUES (@id, @parentId, @queue, @onAny)
        """;

    public const string SelectChildren = """
        SELECT job_id AS JobId, queue AS Queue, on_any_final_state AS OnAnyFinalState
        FROM js_continuation
        WHERE parent_id = @parentId
        ORDER BY job_id
        FOR UPDATE
        """;

    public const string Delete = """
        DELETE FROM js_continuation
        WHERE job_id = @id
        """;

    public const string SetDeleted = """
        UPDATE js_job
        SET state = 'Deleted', finished_at = @now, expire_at = @expireAt
        WHERE id = @id
        """;
}
