using System.Diagnostics;
using Dapper;

namespace JobServer.Bench;

/// <summary>
/// Processing rate of no-op (<c>sleep 0</c>) jobs from a backlog, with 1, 2 and 3 JobServer processes on one database,
/// plus each server's memory and CPU. Checks that every job ended Succeeded after exactly one run.
/// </summary>
internal sealed class ProcessingBenchmark(BenchDatabase database, int backlog, int repeats, int workers)
{
    /// <summary>Jobs each run's fresh servers process before the measured backlog is written.</summary>
    private const int WarmUpJobs = 3_000;

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
            var contention = new Contention(0, 0, 0, 0, 0);
            for (var run = 0; run < repeats; run++)
            {
                var (rate, rss, cpuSeconds, seconds, runContention) = await RunOnceAsync(servers);
                rates.Add(rate);
                peakRss = Math.Max(peakRss, rss);
                cpu += cpuSeconds;
                wall += seconds;
                contention = contention.Add(runContention);
            }

            rates.Sort();
            results.Add(new BenchResult($"sleep-0 jobs, {servers} server(s) x {workers} workers, {backlog:N0} backlog", "jobs/s", rates[rates.Count / 2]) { Baseline = raw });
            Console.WriteLine($"  {servers} server(s): peak RSS per server {peakRss:N0} MB, server CPU {cpu / wall * 100 / Environment.ProcessorCount:N0} % of the machine");
            Console.WriteLine($"    over {repeats} runs: InnoDB row lock waits {contention.LockWaits:N0} ({contention.LockWaitMs:N0} ms in all), deadlocks {contention.Deadlocks:N0}; "
                + $"jobs per claim {contention.JobsPerClaim / repeats:N1}, per success batch {contention.JobsPerSuccessBatch / repeats:N1}");
        }

        return results;
    }

    private async Task<(double Rate, double PeakRssMb, double CpuSeconds, double Seconds, Contention Contention)> RunOnceAsync(int servers)
    {
        database.EmptyJobs();
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
            // Each run starts fresh processes: let them JIT and fill their pools on a small backlog first, so the
            // measured one shows steady-state servers, not three start-ups.
            Seed(WarmUpJobs);
            await DrainAsync(connection, processes, TimeSpan.FromMinutes(2));
            var firstId = Seed(backlog);
            var locksBefore = LockCounters();
            var stopwatch = Stopwatch.StartNew();
            var before = processes.Select(p => p.Usage().CpuSeconds).Sum();
            var peakRss = await DrainAsync(connection, processes, TimeSpan.FromMinutes(10));
            var cpuSeconds = processes.Select(p => p.Usage().CpuSeconds).Sum() - before;
            var span = connection.QuerySingle<(DateTime First, DateTime Last)>(
                "SELECT MIN(started_at), MAX(finished_at) FROM js_job WHERE id >= @firstId", new { firstId });
            Verify(connection, firstId);
            var locksAfter = LockCounters();
            var seconds = (span.Last - span.First).TotalSeconds;
            var contention = new Contention(
                locksAfter["Innodb_row_lock_waits"] - locksBefore["Innodb_row_lock_waits"],
                locksAfter["Innodb_row_lock_time"] - locksBefore["Innodb_row_lock_time"],
                locksAfter["Innodb_deadlocks"] - locksBefore["Innodb_deadlocks"],
                JobsPerBatch(connection, "Processing", firstId),
                JobsPerBatch(connection, "Succeeded", firstId));
            return (backlog / seconds, peakRss, cpuSeconds, stopwatch.Elapsed.TotalSeconds, contention);
        }
        finally
        {
            foreach (var process in processes)
            {
                process.Dispose();
            }
        }
    }

    /// <summary>Waits until the queue is empty; returns the servers' peak RSS meanwhile.</summary>
    private static async Task<double> DrainAsync(MySql.Data.MySqlClient.MySqlConnection connection, List<WebServerProcess> processes, TimeSpan limit)
    {
        var stopwatch = Stopwatch.StartNew();
        double peakRss = 0;
        while (connection.ExecuteScalar<long>("SELECT COUNT(*) FROM js_queue") > 0)
        {
            if (stopwatch.Elapsed > limit)
            {
                throw new TimeoutException($"The backlog was not processed within {limit.TotalMinutes:N0} minutes.");
            }

            peakRss = Math.Max(peakRss, processes.Max(p => p.Usage().RssMb));
            await Task.Delay(100);
        }

        return peakRss;
    }

    /// <summary>Writes <paramref name="count"/> Enqueued jobs set-based in one transaction, like a burst of enqueues
    /// that arrived at once; returns the first id.</summary>
    private long Seed(int count)
    {
        using var connection = database.Open();
        // The benchmark is the only writer of new jobs here: the ids after the current maximum are this seed's.
        var first = connection.ExecuteScalar<long>("SELECT COALESCE(MAX(id), 0) + 1 FROM js_job");
        connection.Execute(
            $$"""
            START TRANSACTION;
            INSERT INTO js_job (type, queue, args, state, attempts, created_at)
            SELECT 'sleep', 'default', '{"ms":0}', 'Enqueued', 0, UTC_TIMESTAMP(6)
            FROM {{Digits}} a, {{Digits}} b, {{Digits}} c, {{Digits}} e, {{Digits}} f, {{Digits}} g
            LIMIT @count;
            INSERT INTO js_queue (job_id, queue) SELECT id, queue FROM js_job WHERE id >= @first;
            INSERT INTO js_job_history (job_id, state, at) SELECT id, 'Enqueued', created_at FROM js_job WHERE id >= @first;
            COMMIT;
            """,
            new { count, first });
        return first;
    }

    /// <summary>InnoDB's own counters of lock waits and deadlocks: a lock convoy between servers would show here.</summary>
    private Dictionary<string, long> LockCounters()
    {
        using var connection = database.Open();
        return connection.Query<(string Name, string Value)>(
                "SHOW GLOBAL STATUS WHERE Variable_name IN ('Innodb_row_lock_waits', 'Innodb_row_lock_time', 'Innodb_deadlocks')")
            .ToDictionary(r => r.Name, r => long.Parse(r.Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Average jobs per claim (or success batch): the rows one transaction wrote share their timestamp and server.</summary>
    private static double JobsPerBatch(MySql.Data.MySqlClient.MySqlConnection connection, string state, long firstId) =>
        connection.ExecuteScalar<double>(
            "SELECT AVG(n) FROM (SELECT COUNT(*) AS n FROM js_job_history WHERE state = @state AND job_id >= @firstId GROUP BY at, server_id) batches",
            new { state, firstId });

    private sealed record Contention(long LockWaits, long LockWaitMs, long Deadlocks, double JobsPerClaim, double JobsPerSuccessBatch)
    {
        public Contention Add(Contention other) => new(
            LockWaits + other.LockWaits, LockWaitMs + other.LockWaitMs, Deadlocks + other.Deadlocks,
            JobsPerClaim + other.JobsPerClaim, JobsPerSuccessBatch + other.JobsPerSuccessBatch);
    }

    /// <summary>Every job Succeeded, claimed exactly once: the guarantees hold at speed.</summary>
    private void Verify(MySql.Data.MySqlClient.MySqlConnection connection, long firstId)
    {
        var notSucceeded = connection.ExecuteScalar<long>("SELECT COUNT(*) FROM js_job WHERE id >= @firstId AND (state <> 'Succeeded' OR attempts <> 1)", new { firstId });
        var processing = connection.ExecuteScalar<long>("SELECT COUNT(*) FROM js_job_history WHERE state = 'Processing' AND job_id >= @firstId", new { firstId });
        if (notSucceeded != 0 || processing != backlog)
        {
            throw new InvalidOperationException($"Guarantee broken: {notSucceeded} jobs not Succeeded once; {processing} Processing rows for {backlog} jobs.");
        }
    }
}
