using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Dapper;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using JobServer.Storage.MySql;
using JobServer.Tests.Infrastructure;
using JobServer.Tests.SoakChild;
using MySqlConnector;
using Xunit.Abstractions;

namespace JobServer.Tests.Reliability;

/// <summary>
/// Issue 14's chaos soak: three JobServer processes × 20 workers on one MariaDB run a mixed workload (see
/// <see cref="SoakWorkload"/>) plus a per-second recurring job, while <see cref="SoakFaults"/> SIGKILLs a random
/// process every few seconds (30–90 s in the long run) and starts it again, and restarts MariaDB once. After a drain:
/// every accepted job is in the final state its script implies and nothing is left queued, running or locked; no job
/// ran on two workers at once and every re-run is a kill's doing (<see cref="SoakVerdict"/>); each recurring occurrence
/// made one job; each bulk insert holds exactly its rows; no deadlock reached a caller; each process stayed within
/// its connection pool. Prints the figures (and writes them to <c>JOBSERVER_SOAK_REPORT</c> when set).
/// </summary>
[Collection(SerialCollection.Name)]
[Trait("Category", ReliabilityScale.Category)]
public sealed class SoakTests(SoakMariaDb mariaDb, ITestOutputHelper output) : IClassFixture<SoakMariaDb>
{
    private const int MaxPoolSize = 50;
    private const string Watcher = "soak_watch";
    private static readonly TimeSpan InvisibilityTimeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Soak_KillsAndDatabaseRestart_NothingLostStuckOrRunTwiceAtOnce_PoolsAndLocksHold()
    {
        var scale = SoakScale.Current;
        var database = mariaDb.Database;
        var users = Enumerable.Range(1, SoakScale.Servers).Select(i => $"soak_{i}").ToList();
        CreateUsers(database.Name, users);
        await using (var connection = new MySqlConnection(database.ConnectionString))
        {
            await connection.ExecuteAsync(SoakLedger.CreateTableSql);
        }

        var deadlockLines = new ConcurrentQueue<string>();
        ChildServer Start(string name) => ChildServer.Start(
            ConnectionFor(database.ConnectionString, users[int.Parse(name[^1..]) - 1]), name, Settings(), "JobServer.Tests.SoakChild.dll",
            line => { if (line.Contains("deadlock", StringComparison.OrdinalIgnoreCase)) deadlockLines.Enqueue(name + ": " + line); });
        var servers = Enumerable.Range(1, SoakScale.Servers).Select(i => Start($"soak{i}")).ToList();
        var faults = new SoakFaults(scale, mariaDb, servers, Start);
        try
        {
            await Task.WhenAll(servers.Select(s => s.WaitUntilReadyAsync()));
            var storage = new MySqlStorage(database.ConnectionString, new MySqlStorageOptions { PrepareSchemaIfNecessary = false });
            var deadlocksAtStart = Deadlocks(database.ConnectionString);
            var recurring = new RecurringJobManager(storage);
            recurring.AddOrUpdate("soak-tick", Job.FromExpression<SoakJobs>(x => x.Tick(null!)), "* * * * * *");

            var clock = Stopwatch.StartNew();
            var workload = new SoakWorkload(storage, InvisibilityTimeout * 1.6);
            using var stopSampling = new CancellationTokenSource();
            var connections = new SoakConnections(WatcherConnection(database.ConnectionString), users);
            var sampling = connections.RunAsync(stopSampling.Token);
            var faulting = faults.RunAsync(() => Deadlocks(database.ConnectionString));
            await Task.WhenAll(workload.RunAsync(scale.Duration, () => !faulting.IsCompleted), faulting);
            var ranFor = clock.Elapsed;

            recurring.RemoveIfExists("soak-tick");
            workload.DeleteRemainingHolds();
            try
            {
                await Eventually.UntilAsync(() => Unfinished(database.ConnectionString), n => n == 0, TimeSpan.FromSeconds(180), "every job to reach a final state");
            }
            catch (TimeoutException)
            {
                output.WriteLine("not final:\n" + await DescribeUnfinishedAsync(database.ConnectionString));
                output.WriteLine("servers' last output:\n" + string.Join('\n', servers.Select(s => string.Join('\n', s.RecentOutput.Split('\n').TakeLast(60)))));
                throw;
            }

            var drainedIn = clock.Elapsed - ranFor;
            await stopSampling.CancelAsync();
            await sampling;
            var deadlocks = faults.DeadlocksBeforeRestart - deadlocksAtStart + Deadlocks(database.ConnectionString);

            var runs = await ReadRunsAsync(database.ConnectionString);
            var states = await ReadStatesAsync(database.ConnectionString);
            var verdict = new SoakVerdict(faults);
            foreach (var job in workload.Jobs.Values.Where(j => j.Kind != "bulk"))
            {
                verdict.Judge(job, states.GetValueOrDefault(long.Parse(job.Id)), runs.GetValueOrDefault(long.Parse(job.Id), []), runs);
            }

            var ticks = await ReadTicksAsync(database.ConnectionString);
            foreach (var (time, ids) in ticks.Where(t => t.Value.Count > 1)) verdict.Problems.Add($"recurring occurrence {time}: {ids.Count} jobs ({string.Join(", ", ids)})");
            foreach (var id in ticks.Values.SelectMany(ids => ids))
            {
                var tickRuns = runs.GetValueOrDefault(id, []);
                var superseded = verdict.JudgeRuns(id.ToString(), "tick", tickRuns);
                if (states.GetValueOrDefault(id) != SucceededState.StateName || tickRuns.Count(r => r.Outcome == "succeeded" && !superseded.Contains(r)) != 1) verdict.Problems.Add($"tick job {id}: {states.GetValueOrDefault(id)}: {SoakVerdict.Describe(tickRuns)}");
            }

            var bulk = workload.Jobs.Values.Where(j => j.Kind == "bulk").ToList();
            var bulkOutcomes = JobOutcomes.Read(storage, bulk.Select(j => j.Id));
            foreach (var job in bulk)
            {
                var rows = await RowsAsync(database.ConnectionString, job.Project!);
                var outcome = bulkOutcomes.GetValueOrDefault(job.Id);
                if (outcome?.State != SucceededState.StateName || rows != job.Rows) verdict.Problems.Add($"bulk insert {job.Id} ({job.Project}): {outcome?.State}, {rows:N0} rows of {job.Rows:N0}");
                foreach (var run in outcome?.Runs.SkipLast(1) ?? [])
                {
                    if (faults.KilledAt(run.ServerId) is null) verdict.Problems.Add($"bulk insert {job.Id} ran again after a run on {run.ServerId}, which was never killed");
                }
            }

            // A creation cut by the restart may leave a job row without a state (Hangfire's client creates the job,
            // then applies its first state); the client threw, so it was never accepted, and it expires by itself.
            var stateless = states.Where(s => s.Value is null).Select(s => s.Key.ToString()).ToList();
            foreach (var id in stateless.Where(workload.Jobs.ContainsKey)) verdict.Problems.Add($"accepted job {id} has no state");
            var leftovers = await LeftoversAsync(database.ConnectionString);
            var orphanLocks = OrphanLocks(storage, workload.Jobs.Keys.Concat(ticks.Values.SelectMany(ids => ids).Select(id => id.ToString())));
            var restart = faults.Restart;
            var resumedAfter = restart is null ? (TimeSpan?)null : runs.Values.SelectMany(r => r).Where(r => r.Start >= restart.UpAt).Select(r => r.Start).DefaultIfEmpty(DateTime.MaxValue).Min() - restart.UpAt;
            var report = new
            {
                scale = scale.Name,
                ranSeconds = Math.Round(ranFor.TotalSeconds, 1),
                drainSeconds = Math.Round(drainedIn.TotalSeconds, 1),
                processes = SoakScale.Servers,
                workersPerProcess = SoakScale.WorkersPerServer,
                jobsAccepted = workload.Jobs.Count,
                jobsByKind = workload.Jobs.Values.GroupBy(j => j.Kind).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count()),
                recurringOccurrences = ticks.Count,
                runsRecorded = verdict.Runs + ticks.Values.Sum(ids => ids.Sum(id => runs.GetValueOrDefault(id, []).Count)),
                bulkInserts = bulk.Count,
                bulkRowsEach = SoakWorkload.BulkRows,
                creationsRefused = workload.Refused,
                createdWithoutStateWhenRefused = stateless.Count,
                deletedWhileRunning = workload.DeletedWhileRunning,
                kills = faults.Kills.Select(k => new
                {
                    process = k.Name,
                    killedAt = k.KilledAt.ToString("HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture),
                    replacementReadySeconds = Math.Round((k.ReplacementReadyAt - k.KilledAt).TotalSeconds, 2),
                    cutRuns = verdict.Reruns.Count(r => r.Kill == k && !r.OutcomeLost),
                    outcomesLost = verdict.Reruns.Count(r => r.Kill == k && r.OutcomeLost),
                    rerunAfterSeconds = verdict.Reruns.Where(r => r.Kill == k).Select(r => Math.Round(r.After.TotalSeconds, 2)).DefaultIfEmpty().Max(),
                }).ToList(),
                reruns = verdict.Reruns.Count,
                rerunsOutcomeLost = verdict.Reruns.Count(r => r.OutcomeLost),
                rerunsByKind = verdict.Reruns.GroupBy(r => r.Kind).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count()),
                databaseRestart = restart is null ? null : new
                {
                    downSeconds = Math.Round((restart.UpAt - restart.DownAt).TotalSeconds, 2),
                    jobsStartingAgainAfterSeconds = resumedAfter is null || resumedAfter > TimeSpan.FromDays(1) ? (double?)null : Math.Round(resumedAfter.Value.TotalSeconds, 2),
                },
                innodbDeadlocks = deadlocks,
                deadlocksReachingCallers = workload.Deadlocks + deadlockLines.Count,
                peakConnectionsPerProcess = connections.Peaks,
                maxPoolSizePerProcess = MaxPoolSize,
                processListSamples = connections.Samples,
                problems = verdict.Problems.Count,
            };
            var json = JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true });
            output.WriteLine($"[soak {scale.Name}] " + json);
            if (Environment.GetEnvironmentVariable("JOBSERVER_SOAK_REPORT") is { Length: > 0 } path) await File.WriteAllTextAsync(path, json + "\n");
            if (verdict.Problems.Count > 0 || deadlockLines.Count > 0)
            {
                output.WriteLine("problems:\n" + string.Join('\n', verdict.Problems));
                output.WriteLine("deadlock lines: " + string.Join('\n', deadlockLines.Take(10)));
                output.WriteLine("servers' last output:\n" + string.Join('\n', servers.Select(s => string.Join('\n', s.RecentOutput.Split('\n').TakeLast(40)))));
            }

            Assert.True(verdict.Problems.Count == 0, $"{verdict.Problems.Count} problems; first ones:\n" + string.Join('\n', verdict.Problems.Take(30)));
            Assert.True(faults.Kills.Count >= 2, $"only {faults.Kills.Count} kills: the soak proves little");
            Assert.NotNull(faults.Restart);
            Assert.NotEmpty(ticks);
            Assert.NotEmpty(bulk);
            Assert.Contains(workload.Jobs.Values, j => j.Kind == "long");
            Assert.True(leftovers.Count == 0, "left behind: " + string.Join(", ", leftovers));
            Assert.True(orphanLocks.Count == 0, "locks still held: " + string.Join(", ", orphanLocks.Take(10)));
            Assert.Equal(0, workload.Deadlocks);
            Assert.True(deadlockLines.IsEmpty, "deadlocks in the servers' logs: " + string.Join('\n', deadlockLines.Take(5)));
            Assert.All(connections.Peaks, p => Assert.InRange(p.Value, 1, MaxPoolSize));
        }
        finally
        {
            servers.ForEach(s => s.Dispose());
        }
    }

    /// <summary>One pool of 20 workers; a 5 s invisibility timeout (keep-alive every second) so the long jobs outlive
    /// it and a dead process's jobs come back in seconds; a server timeout longer than the database restart, so live
    /// servers never take each other for dead while MariaDB is away.</summary>
    private static Dictionary<string, string> Settings() => new()
    {
        ["JobServer__Servers__0__Name"] = "default",
        ["JobServer__Servers__0__Queues__0"] = "default",
        ["JobServer__Servers__0__Workers"] = SoakScale.WorkersPerServer.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["JobServer__HeartbeatInterval"] = "00:00:01",
        ["JobServer__ServerTimeout"] = "00:00:30",
        ["JobServer__ServerCheckInterval"] = "00:00:02",
        ["JobServer__Storage__InvisibilityTimeout"] = "00:00:05",
        ["JobServer__Storage__KeepAliveInterval"] = "00:00:01",
    };

    private static string ConnectionFor(string connectionString, string user) =>
        new MySqlConnectionStringBuilder(connectionString) { UserID = user, Password = "soak", MaximumPoolSize = MaxPoolSize }.ConnectionString;

    private static string WatcherConnection(string connectionString) =>
        new MySqlConnectionStringBuilder(connectionString) { UserID = Watcher, Password = "soak", Database = "" }.ConnectionString;

    /// <summary>A MySQL user per JobServer process (its sessions countable in the process list) and a watcher that
    /// may read the whole process list; on the soak's private instance only.</summary>
    private void CreateUsers(string database, IEnumerable<string> users)
    {
        var grants = string.Join('\n', users.Select(u => $"""
            CREATE USER IF NOT EXISTS '{u}'@'127.0.0.1' IDENTIFIED BY 'soak';
            GRANT ALL PRIVILEGES ON `{database}`.* TO '{u}'@'127.0.0.1';
            """));
        mariaDb.RootSql($"""
            {grants}
            CREATE USER IF NOT EXISTS '{Watcher}'@'127.0.0.1' IDENTIFIED BY 'soak';
            GRANT PROCESS ON *.* TO '{Watcher}'@'127.0.0.1';
            """);
    }

    private static long Deadlocks(string connectionString)
    {
        using var connection = new MySqlConnection(connectionString);
        return connection.QuerySingle<(string Name, long Value)>("SHOW GLOBAL STATUS LIKE 'Innodb_deadlocks'").Value;
    }

    private static long Unfinished(string connectionString)
    {
        try
        {
            using var connection = new MySqlConnection(connectionString);
            return connection.ExecuteScalar<long>("SELECT COUNT(*) FROM hf_job WHERE state_name IN ('Enqueued', 'Processing', 'Scheduled', 'Awaiting')");
        }
        catch (MySqlException)
        {
            return -1;
        }
    }

    private static async Task<string> DescribeUnfinishedAsync(string connectionString)
    {
        await using var connection = new MySqlConnection(connectionString);
        var jobs = await connection.QueryAsync<(long Id, string State, DateTime Created)>(
            "SELECT id, state_name, created_at FROM hf_job WHERE state_name IN ('Enqueued', 'Processing', 'Scheduled', 'Awaiting') LIMIT 20");
        var lines = new List<string>();
        foreach (var (id, state, created) in jobs)
        {
            var history = await connection.QueryAsync<(string Name, string Reason, DateTime At, string Data)>("SELECT name, reason, created_at, data FROM hf_state WHERE job_id = @id ORDER BY id", new { id });
            var queue = await connection.QueryAsync<(string Queue, DateTime? FetchedAt, string? By)>("SELECT queue, fetched_at, fetched_by FROM hf_job_queue WHERE job_id = @id", new { id });
            var invocation = await connection.ExecuteScalarAsync<string>("SELECT arguments FROM hf_job WHERE id = @id", new { id });
            lines.Add($"job {id} {state}, created {created:HH:mm:ss.fff}, args {invocation}; history: {string.Join(" → ", history.Select(h => $"{h.Name} {h.At:HH:mm:ss.fff} {h.Reason} {h.Data}"))}; " +
                      $"queue rows: {string.Join(", ", queue.Select(q => $"{q.Queue} fetched {q.FetchedAt:HH:mm:ss.fff} by {q.By}"))}");
        }

        return string.Join('\n', lines);
    }

    private static async Task<Dictionary<long, IReadOnlyList<SoakRun>>> ReadRunsAsync(string connectionString)
    {
        await using var connection = new MySqlConnection(connectionString);
        var rows = await connection.QueryAsync<(long JobId, int Attempt, string ServerId, string Kind, DateTime Start, DateTime? End, string? Outcome)>(
            "SELECT job_id, attempt, server_id, kind, started_at, ended_at, outcome FROM soak_run ORDER BY started_at, id");
        return rows.Select(r => new SoakRun(r.JobId, r.Attempt, r.ServerId, r.Kind, Utc(r.Start), r.End is { } end ? Utc(end) : null, r.Outcome))
            .GroupBy(r => r.JobId).ToDictionary(g => g.Key, g => (IReadOnlyList<SoakRun>)g.ToList());
    }

    private static async Task<Dictionary<long, string?>> ReadStatesAsync(string connectionString)
    {
        await using var connection = new MySqlConnection(connectionString);
        return (await connection.QueryAsync<(long Id, string? State)>("SELECT id, state_name FROM hf_job")).ToDictionary(r => r.Id, r => r.State);
    }

    /// <summary>The recurring job's jobs by occurrence: Hangfire stamps each with its "Time" parameter.</summary>
    private static async Task<Dictionary<string, List<long>>> ReadTicksAsync(string connectionString)
    {
        await using var connection = new MySqlConnection(connectionString);
        var rows = await connection.QueryAsync<(long JobId, string Time)>("""
            SELECT r.job_id, t.value FROM hf_job_parameter r JOIN hf_job_parameter t ON t.job_id = r.job_id AND t.name = 'Time'
            WHERE r.name = 'RecurringJobId' AND r.value = '"soak-tick"'
            """);
        return rows.GroupBy(r => r.Time).ToDictionary(g => g.Key, g => g.Select(r => r.JobId).ToList());
    }

    private static async Task<long> RowsAsync(string connectionString, string project)
    {
        await using var connection = new MySqlConnection(connectionString);
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM api_data WHERE project = @project", new { project });
    }

    /// <summary>Jobs left in a state that is not final, and queue rows (enqueued or fetched) left behind.</summary>
    private static async Task<List<string>> LeftoversAsync(string connectionString)
    {
        await using var connection = new MySqlConnection(connectionString);
        var states = await connection.QueryAsync<(string? State, long Count)>("SELECT state_name, COUNT(*) FROM hf_job GROUP BY state_name");
        var queued = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM hf_job_queue");
        string[] final = [SucceededState.StateName, FailedState.StateName, DeletedState.StateName];
        var left = states.Where(s => s.State is not null && !final.Contains(s.State)).Select(s => $"{s.Count} jobs {s.State ?? "without state"}").ToList();
        if (queued > 0) left.Add($"{queued} rows in hf_job_queue");
        return left;
    }

    /// <summary>Every job's state lock and the recurring scheduler's lock can be taken: none was left with a dead holder.
    /// (A live server may hold the recurring lock for a moment, hence the short wait.)</summary>
    private static List<string> OrphanLocks(JobStorage storage, IEnumerable<string> jobIds)
    {
        var orphans = new ConcurrentBag<string>();
        var resources = jobIds.Select(id => $"job:{id}:state-lock").Append("recurring-jobs:lock").ToList();
        Parallel.ForEach(resources, new ParallelOptions { MaxDegreeOfParallelism = 4 }, resource =>
        {
            try
            {
                using var connection = storage.GetConnection();
                connection.AcquireDistributedLock(resource, TimeSpan.FromSeconds(2)).Dispose();
            }
            catch (Hangfire.Storage.DistributedLockTimeoutException)
            {
                orphans.Add(resource);
            }
        });
        return [.. orphans];
    }

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);
}
