using Dapper;
using MySqlConnector;

namespace JobServer.Storage.MySql.Monitoring;

/// <summary>
/// Pages and counts of the jobs in one state, all as ranges of ix_hf_job_state (state_name, id). A page is a
/// deferred join: the ids come from the index alone (LIMIT/OFFSET walks index entries, never job rows), and only
/// the page's jobs are then read with their current state.
/// </summary>
internal static class StateListQueries
{
    internal const string PageNewestFirstSql = """
        SELECT j.id AS Id, j.state_name AS StateName, j.invocation_data AS InvocationData, j.arguments AS Arguments,
               s.reason AS StateReason, s.data AS StateData, s.created_at AS StateCreatedAt
        FROM (
            SELECT id
            FROM hf_job
            WHERE state_name = @stateName
            ORDER BY id DESC
            LIMIT @count OFFSET @from
        ) page
        JOIN hf_job j ON j.id = page.id
        LEFT JOIN hf_state s ON s.id = j.state_id
        ORDER BY j.id DESC
        """;

    internal const string PageOldestFirstSql = """
        SELECT j.id AS Id, j.state_name AS StateName, j.invocation_data AS InvocationData, j.arguments AS Arguments,
               s.reason AS StateReason, s.data AS StateData, s.created_at AS StateCreatedAt
        FROM (
            SELECT id
            FROM hf_job
            WHERE state_name = @stateName
            ORDER BY id
            LIMIT @count OFFSET @from
        ) page
        JOIN hf_job j ON j.id = page.id
        LEFT JOIN hf_state s ON s.id = j.state_id
        ORDER BY j.id
        """;

    private const string CountSql = """
        SELECT COUNT(*)
        FROM hf_job
        WHERE state_name = @stateName
        """;

    internal const string CountCappedSql = """
        SELECT COUNT(*)
        FROM (
            SELECT 1
            FROM hf_job
            WHERE state_name = @stateName
            LIMIT @limit
        ) t
        """;

    private const string StateNamesSql = """
        SELECT id AS Id, state_name AS StateName
        FROM hf_job
        WHERE id IN @ids
        """;

    /// <summary>
    /// Hangfire's storages list finished jobs (succeeded, failed, deleted) newest first and waiting or running ones
    /// (scheduled, processing, awaiting) oldest first; callers choose accordingly.
    /// </summary>
    public static List<MonitoredJobRow> Page(MySqlConnection connection, string stateName, int from, int count,
        bool newestFirst, int timeoutSeconds)
    {
        if (count <= 0) return [];
        return connection.Query<MonitoredJobRow>(newestFirst ? PageNewestFirstSql : PageOldestFirstSql,
            new { stateName, from = Math.Max(from, 0), count }, commandTimeout: timeoutSeconds).AsList();
    }

    public static long Count(MySqlConnection connection, string stateName, int? limit, int timeoutSeconds) =>
        limit is { } cap
            ? connection.ExecuteScalar<long>(CountCappedSql, new { stateName, limit = cap }, commandTimeout: timeoutSeconds)
            : connection.ExecuteScalar<long>(CountSql, new { stateName }, commandTimeout: timeoutSeconds);

    public static Dictionary<long, string?> StateNames(MySqlConnection connection, IReadOnlyCollection<long> ids, int timeoutSeconds) =>
        ids.Count == 0
            ? []
            : connection.Query<(long Id, string? StateName)>(StateNamesSql, new { ids }, commandTimeout: timeoutSeconds)
                .ToDictionary(row => row.Id, row => row.StateName);
}
