using System.Diagnostics;
using Dapper;

namespace JobServer.Bench;

/// <summary>
/// Fills the job tables with a large finished history — Succeeded jobs with three history rows each, their counters,
/// a few failed and waiting jobs — set-based, in seconds instead of hours of real processing.
/// </summary>
internal static class HistorySeeder
{
    private const string Digits = "(SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9)";

    public static void Seed(BenchDatabase database, int succeeded)
    {
        using var connection = database.Open();
        var existing = connection.ExecuteScalar<long?>("SELECT value FROM js_stat WHERE name = 'state:Succeeded'") ?? 0;
        if (existing == succeeded && connection.ExecuteScalar<long>("SELECT COUNT(*) FROM js_job WHERE state = 'Failed'") > 0)
        {
            Console.WriteLine($"reusing {succeeded:N0} seeded Succeeded jobs");
            return;
        }

        database.EmptyJobs();
        var stopwatch = Stopwatch.StartNew();
        var numbers = $"FROM {Digits} a, {Digits} b, {Digits} c, {Digits} e, {Digits} f, {Digits} g, {Digits} h LIMIT @count";
        connection.Execute(
            $$"""
            INSERT INTO js_job (type, queue, args, state, attempts, lease, server_id, created_at, started_at, finished_at, expire_at, result)
            SELECT 'sleep', 'default', '{"ms":0}', 'Succeeded', 1, 1, 'bench-seed',
                   UTC_TIMESTAMP(6) - INTERVAL 2 HOUR, UTC_TIMESTAMP(6) - INTERVAL 2 HOUR, UTC_TIMESTAMP(6) - INTERVAL 2 HOUR,
                   UTC_TIMESTAMP(6) + INTERVAL 30 DAY, '{"slept":0}'
            {{numbers}}
            """,
            new { count = succeeded },
            commandTimeout: 3600);
        foreach (var state in new[] { "Enqueued", "Processing", "Succeeded" })
        {
            connection.Execute(
                $"""
                INSERT INTO js_job_history (job_id, state, at, server_id)
                SELECT id, '{state}', created_at, 'bench-seed' FROM js_job
                """,
                commandTimeout: 3600);
        }

        connection.Execute("""
            INSERT INTO js_stat (name, value) VALUES ('state:Succeeded', @count), ('total:Succeeded', @count);
            INSERT INTO js_job (type, queue, args, state, attempts, lease, created_at, finished_at)
            VALUES ('sleep', 'default', '{"ms":-1}', 'Failed', 3, 3, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6));
            INSERT INTO js_job_history (job_id, state, at, reason, exception_type, exception_message, exception_details)
            VALUES (LAST_INSERT_ID(), 'Failed', UTC_TIMESTAMP(6), 'seeded', 'System.InvalidOperationException', 'seeded failure', 'at Bench.Seed()');
            INSERT INTO js_stat (name, value) VALUES ('state:Failed', 1), ('total:Failed', 1);
            """, new { count = succeeded });
        Console.WriteLine($"seeded {succeeded:N0} Succeeded jobs with 3 history rows each in {stopwatch.Elapsed.TotalSeconds:N0} s");
    }
}
