using Dapper;
using JobServer.Tests.Infrastructure;

namespace JobServer.Tests.Reliability;

/// <summary>Reads every job's <see cref="JobRecord"/> and the counts the tests wait on, straight from the tables.</summary>
internal static class JobRecords
{
    public static IReadOnlyDictionary<long, JobRecord> ReadAll(TestDatabase database)
    {
        using var connection = database.Open();
        return connection.Query<JobRecord>("""
            SELECT j.id AS Id, j.state AS State, j.attempts AS Attempts,
                   CAST(COALESCE(SUM(h.state = 'Processing'), 0) AS SIGNED) AS Claims,
                   CAST(COALESCE(SUM(h.reason LIKE '%never started it%'), 0) AS SIGNED) AS ClaimsNeverStarted,
                   CAST(COALESCE(SUM(h.state = 'Succeeded'), 0) AS SIGNED) AS Successes,
                   MAX(CASE WHEN h.reason LIKE '%stopped heartbeating' THEN h.reason END) AS Requeue,
                   q.claimed_by AS ClaimedBy
            FROM js_job j
            LEFT JOIN js_job_history h ON h.job_id = j.id
            LEFT JOIN js_queue q ON q.job_id = j.id
            GROUP BY j.id, j.state, j.attempts, q.claimed_by
            """, commandTimeout: 120).ToDictionary(r => r.Id);
    }

    public static long Succeeded(TestDatabase database) => Count(database, "state = 'Succeeded'");

    /// <summary>Waits until no job may still run; false if some still might at the deadline.</summary>
    public static async Task<bool> UntilAllFinishedAsync(TestDatabase database, TimeSpan timeout)
    {
        try
        {
            await Eventually.UntilAsync(() => Unfinished(database), n => n == 0, timeout, "every job to finish");
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Jobs that may still run: neither succeeded, failed nor deleted.</summary>
    public static long Unfinished(TestDatabase database) => Count(database, "state NOT IN ('Succeeded', 'Failed', 'Deleted')");

    /// <summary>When the first job started after <paramref name="after"/> finished Succeeded; null while none has.</summary>
    public static DateTime? FirstSuccessStartedAfter(TestDatabase database, DateTime after)
    {
        using var connection = database.Open();
        return connection.ExecuteScalar<DateTime?>("SELECT MIN(finished_at) FROM js_job WHERE state = 'Succeeded' AND started_at >= @after", new { after });
    }

    /// <summary>Job ids claimed by <paramref name="serverId"/> right now (in its hands when it died).</summary>
    public static HashSet<long> ClaimedBy(TestDatabase database, string serverId)
    {
        using var connection = database.Open();
        return connection.Query<long>("SELECT job_id FROM js_queue WHERE claimed_by = @serverId", new { serverId }).ToHashSet();
    }

    /// <summary>Processing history rows per server: who claimed how many attempts.</summary>
    public static IReadOnlyDictionary<string, long> ClaimsPerServer(TestDatabase database)
    {
        using var connection = database.Open();
        return connection.Query<(string Server, long Claims)>("SELECT server_id, COUNT(*) FROM js_job_history WHERE state = 'Processing' GROUP BY server_id")
            .ToDictionary(r => r.Server, r => r.Claims);
    }

    private static long Count(TestDatabase database, string condition)
    {
        using var connection = database.Open();
        return connection.ExecuteScalar<long>("SELECT COUNT(*) FROM js_job WHERE " + condition);
    }
}
