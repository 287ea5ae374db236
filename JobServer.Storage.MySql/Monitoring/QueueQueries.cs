using Dapper;
using MySqlConnector;

namespace JobServer.Storage.MySql.Monitoring;

/// <summary>
/// Queues as the dashboard shows them, from hf_job_queue alone (only enqueued and fetched jobs live there). Pages are
/// in queue order, i.e. the order workers take them; each row is joined with its job and current state.
/// </summary>
internal static class QueueQueries
{
    private const string SummarySql = """
        SELECT queue AS Name,
               SUM(fetched_at IS NULL) AS Enqueued,
               SUM(fetched_at IS NOT NULL) AS Fetched
        FROM hf_job_queue
        GROUP BY queue
        ORDER BY queue
        """;

    // ix_hf_job_queue_fetch (queue, fetched_at, id): the unfetched rows of a queue are one range already in id order.
    private const string EnqueuedPageSql = """
        SELECT q.job_id AS Id, j.state_name AS StateName, j.invocation_data AS InvocationData, j.arguments AS Arguments,
               s.reason AS StateReason, s.data AS StateData, s.created_at AS StateCreatedAt
        FROM (
            SELECT id, job_id
            FROM hf_job_queue
            WHERE queue = @queue AND fetched_at IS NULL
            ORDER BY id
            LIMIT @count OFFSET @from
        ) q
        LEFT JOIN hf_job j ON j.id = q.job_id
        LEFT JOIN hf_state s ON s.id = j.state_id
        ORDER BY q.id
        """;

    private const string FetchedPageSql = """
        SELECT q.job_id AS Id, q.fetched_at AS FetchedAt, j.state_name AS StateName,
               j.invocation_data AS InvocationData, j.arguments AS Arguments
        FROM (
            SELECT id, job_id, fetched_at
            FROM hf_job_queue
            WHERE queue = @queue AND fetched_at IS NOT NULL
            ORDER BY id
            LIMIT @count OFFSET @from
        ) q
        LEFT JOIN hf_job j ON j.id = q.job_id
        ORDER BY q.id
        """;

    private const string EnqueuedCountSql = """
        SELECT COUNT(*)
        FROM hf_job_queue
        WHERE queue = @queue AND fetched_at IS NULL
        """;

    private const string FetchedCountSql = """
        SELECT COUNT(*)
        FROM hf_job_queue
        WHERE queue = @queue AND fetched_at IS NOT NULL
        """;

    public sealed record QueueSummary(string Name, long Enqueued, long Fetched);

    public static List<QueueSummary> Summaries(MySqlConnection connection, int timeoutSeconds) =>
        connection.Query<(string Name, decimal Enqueued, decimal Fetched)>(SummarySql, commandTimeout: timeoutSeconds)
            .Select(row => new QueueSummary(row.Name, (long)row.Enqueued, (long)row.Fetched))
            .ToList();

    public static List<MonitoredJobRow> EnqueuedPage(MySqlConnection connection, string queue, int from, int count, int timeoutSeconds) =>
        Page(connection, EnqueuedPageSql, queue, from, count, timeoutSeconds);

    public static List<MonitoredJobRow> FetchedPage(MySqlConnection connection, string queue, int from, int count, int timeoutSeconds) =>
        Page(connection, FetchedPageSql, queue, from, count, timeoutSeconds);

    public static long EnqueuedCount(MySqlConnection connection, string queue, int timeoutSeconds) =>
        connection.ExecuteScalar<long>(EnqueuedCountSql, new { queue }, commandTimeout: timeoutSeconds);

    public static long FetchedCount(MySqlConnection connection, string queue, int timeoutSeconds) =>
        connection.ExecuteScalar<long>(FetchedCountSql, new { queue }, commandTimeout: timeoutSeconds);

    private static List<MonitoredJobRow> Page(MySqlConnection connection, string sql, string queue, int from, int count, int timeoutSeconds) =>
        count <= 0
            ? []
            : connection.Query<MonitoredJobRow>(sql, new { queue, from = Math.Max(from, 0), count }, commandTimeout: timeoutSeconds).AsList();
}
