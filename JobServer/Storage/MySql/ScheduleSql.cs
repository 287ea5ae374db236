namespace JobServer.Storage.MySql;

internal static class ScheduleSql
{
    public const string SelectDueForPromotion = """
        SELECT job_id AS JobId, queue AS Queue
        FROM js_schedule
        WHERE run_at <= @now
        ORDER BY run_at
        LIMIT @max
        FOR UPDATE SKIP LOCKED
        """;

    public const string Promote = """
        INSERT INTO js_queue (job_id, queue)
        SELECT job_id, queue
        FROM js_schedule
        WHERE job_id IN @ids;
        DELETE FROM js_schedule
        WHERE job_id IN @ids;
        UPDATE js_job
        SET state = 'Enqueued'
        WHERE id IN @ids;
        """;
}
