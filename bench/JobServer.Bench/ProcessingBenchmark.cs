using System.Diagnostics;
using Dapper;

namespace JobServer.Bench;

/// <summary>
/// Processing rate of no-op (<c>sleep 0</c>) jobs from a backlog, with 1, 2 and 3 JobServer processes on one database,
/// plus each server's memory and CPU. Checks that every job ended Succeeded after exactly one run.
/// </summary>
internal sealed class ProcessingBenchmark(BenchDatabase database, int backlog, int repeats, int workers)
{
    private const string Digits = "(SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9)";

    public async Task<IReadOnlyList<BenchResult>> RunAsync()
    {
        // A naive engine commits at least once per job: the single-writer commit rate is the ceiling it would hit.
        var raw = RawCommitBaseline.Measure(database, 1, 5_000, repeats);
        var results = new List<BenchResult> { raw };
        foreach (var servers in new[] { 1, 2, 3 })
        {
            var rates = new List<double>();
            double peakRss = 0, cpu = 0, wall = 0;
            for (var run = 0; run < repeats; run++)
            {
                var (rate, rss, cpuSeconds, seconds) = await RunOnceAsync(servers);
                rates.Add(rate);
                peakRss = Math.Max(peakRss, rss);
                cpu += cpuSeconds;
                wall += seconds;
            }

            rates.Sort();
            results.Add(new BenchResult($"sleep-0 jobs, {servers} server(s) x {workers} workers, {backlog:N0} backlog", "jobs/s", rates[rates.Count / 2]) { Baseline = raw });
            Console.WriteLine($"  {servers} server(s): peak RSS per server {peakRss:N0} MB, server CPU {cpu / wall * 100 / Environment.ProcessorCount:N0} % of the machine");
        }

        return results;
    }

    private async Task<(double Rate, double PeakRssMb, double CpuSeconds, double Seconds)> RunOnceAsync(int servers)
    {
        SeedBacklog();
        var processes = Enumerable.Range(0, servers)
            .Select(i => WebServerProcess.Start(database.ConnectionString, 5101 + i, $"bench-worker-{i}", new Dictionary<string, string>
            {
                ["JobServer__Queues__0__Name"] = "default",
                ["JobServer__Queues__0__Workers"] = workers.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }))
            .ToList();
        try
        {
            using var connection = database.Open();
            var stopwatch = Stopwatch.StartNew();
            double peakRss = 0;
            var before = processes.Select(p => p.Usage().CpuSeconds).Sum();
            while (connection.ExecuteScalar<long>("SELECT COUNT(*) FROM js_queue") > 0)
            {
                if (stopwatch.Elapsed > TimeSpan.FromMinutes(10))
                {
                    throw new TimeoutException("The backlog was not processed within 10 minutes.");
                }

                peakRss = Math.Max(peakRss, processes.Max(p => p.Usage().RssMb));
                await Task.Delay(100);
            }

            var cpuSeconds = processes.Select(p => p.Usage().CpuSeconds).Sum() - before;
            var span = connection.QuerySingle<(DateTime First, DateTime Last)>("SELECT MIN(started_at), MAX(finished_at) FROM js_job");
            Verify(connection);
            var seconds = (span.Last - span.First).TotalSeconds;
            return (backlog / seconds, peakRss, cpuSeconds, stopwatch.Elapsed.TotalSeconds);
        }
        finally
        {
            foreach (var process in processes)
            {
                process.Dispose();
            }
        }
    }

    /// <summary>The backlog is written set-based, like a burst of enqueues that arrived before the servers started.</summary>
    private void SeedBacklog()
    {
        database.EmptyJobs();
        using var connection = database.Open();
        connection.Execute(
            $$"""
            INSERT INTO js_job (type, queue, args, state, attempts, created_at)
            SELECT 'sleep', 'default', '{"ms":0}', 'Enqueued', 0, UTC_TIMESTAMP(6)
            FROM {{Digits}} a, {{Digits}} b, {{Digits}} c, {{Digits}} e, {{Digits}} f, {{Digits}} g
            LIMIT @backlog;
            INSERT INTO js_queue (job_id, queue) SELECT id, queue FROM js_job;
            INSERT INTO js_job_history (job_id, state, at) SELECT id, 'Enqueued', created_at FROM js_job;
            """,
            new { backlog });
    }

    /// <summary>Every job Succeeded, claimed exactly once: the guarantees hold at speed.</summary>
    private void Verify(MySql.Data.MySqlClient.MySqlConnection connection)
    {
        var notSucceeded = connection.ExecuteScalar<long>("SELECT COUNT(*) FROM js_job WHERE state <> 'Succeeded' OR attempts <> 1");
        var processing = connection.ExecuteScalar<long>("SELECT COUNT(*) FROM js_job_history WHERE state = 'Processing'");
        if (notSucceeded != 0 || processing != backlog)
        {
            throw new InvalidOperationException($"Guarantee broken: {notSucceeded} jobs not Succeeded once; {processing} Processing rows for {backlog} jobs.");
        }
    }
}
