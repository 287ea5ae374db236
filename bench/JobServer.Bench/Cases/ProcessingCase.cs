using System.Globalization;
using Hangfire;
using JobServer.Bench.Storages;

namespace JobServer.Bench.Cases;

/// <summary>
/// A backlog of no-op jobs drained by one server with 10 workers, then with 50, then by 3 server processes with 20
/// workers each (<see cref="ServerProcesses"/>): jobs per second from the first job's start to the last one's end. Every run checks that each job ran exactly once (the probe counts runs per job number)
/// and that the storage's Succeeded count is the backlog. The process's peak RSS while it drains is reported too
/// (the server runs in this process; for the processes, each one's VmHWM), and the database's lock waits and
/// deadlocks during each run where the storage can count them. Baseline: the raw commit rate with as many connections as workers.
/// </summary>
internal sealed class ProcessingCase(BenchEnvironment environment, BenchOptions options) : IBenchCase
{
    private static readonly int[] WorkerCounts = [10, 50];
    private const int WarmUpJobs = 1_000;
    private const int Processes = 3;
    private const int ProcessWorkers = 20;

    /// <summary>No run of the backlog pauses this long on a working storage; past it the missing jobs count as stranded.</summary>
    public static readonly TimeSpan StallLimit = TimeSpan.FromSeconds(60);

    public string Name => "processing";

    public async Task<IReadOnlyList<BenchGroup>> RunAsync(StorageUnderTest storageUnderTest)
    {
        var backlog = options.Backlog;
        var results = new List<BenchResult>();
        var memory = new List<BenchResult>();
        var contention = new List<BenchResult>();
        foreach (var workers in WorkerCounts)
        {
            BenchResult? raw = null;
            var rawRates = new List<double>();
            for (var run = 0; run < options.Repeats; run++)
            {
                if (await storageUnderTest.RawCommitsPerSecondAsync(workers, 5_000) is { } rate) rawRates.Add(rate);
            }

            if (rawRates.Count > 0)
            {
                raw = new BenchResult($"raw: {storageUnderTest.RawCommitLabel(workers)}", "commits/s", Stats.Median(rawRates)) { IsBaseline = true };
                results.Add(raw);
            }

            var rates = new List<double>();
            var stranded = new List<double>();
            var counters = new List<ContentionCounters>();
            double peakRss = 0;
            for (var run = -1; run < options.Repeats; run++)
            {
                var jobs = run < 0 ? WarmUpJobs : backlog;
                await WriteBacklogAsync(storageUnderTest, jobs);
                var before = await storageUnderTest.ContentionCountersAsync();
                var outcome = await RunOnceAsync(storageUnderTest, workers, jobs);
                var after = await storageUnderTest.ContentionCountersAsync();
                if (run < 0) continue;
                rates.Add(outcome.Rate);
                stranded.Add(outcome.Stranded);
                peakRss = Math.Max(peakRss, outcome.PeakRssMb);
                if (before is not null && after is not null) counters.Add(after - before);
            }

            var label = $"1 server x {workers} workers";
            results.Add(new BenchResult($"no-op jobs, {label}, {backlog:N0} backlog", "jobs/s", Stats.Median(rates)) { Baseline = raw });
            results.Add(Stranded(label, stranded));
            memory.Add(new BenchResult($"bench process (server in it), {label}", "MB", peakRss));
            contention.AddRange(Contention(label, counters, backlog));
        }

        // The same backlog drained by separate processes, each with its own storage instance, as a farm of hosts would
        // (not for a storage that lives in one process: each child would drain a backlog of its own).
        if (!storageUnderTest.SharedAcrossProcesses)
        {
            Console.WriteLine($"  {Processes} server processes: n/a: in-process storage");
        }
        else
        {
            var multi = new ServerProcesses(storageUnderTest, Processes, ProcessWorkers, backlog);
            var multiRates = new List<double>();
            var multiStranded = new List<double>();
            var multiCounters = new List<ContentionCounters>();
            double multiRss = 0;
            for (var run = 0; run < options.Repeats; run++)
            {
                await WriteBacklogAsync(storageUnderTest, backlog);
                var before = await storageUnderTest.ContentionCountersAsync();
                var outcome = await multi.RunOnceAsync();
                var after = await storageUnderTest.ContentionCountersAsync();
                Console.WriteLine($"  {Processes} processes x {ProcessWorkers} workers: {outcome.JobsPerSecond:N0} jobs/s, jobs per process {string.Join(" / ", outcome.JobsPerProcess.Select(n => n.ToString("N0", CultureInfo.InvariantCulture)))}" +
                    (before is not null && after is not null ? $", {after - before}" : ""));
                multiRates.Add(outcome.JobsPerSecond);
                multiStranded.Add(outcome.Stranded);
                multiRss = Math.Max(multiRss, outcome.LargestPeakRssMb);
                if (before is not null && after is not null) multiCounters.Add(after - before);
            }

            var multiLabel = $"{Processes} server processes x {ProcessWorkers} workers";
            results.Add(new BenchResult($"no-op jobs, {multiLabel}, {backlog:N0} backlog", "jobs/s", Stats.Median(multiRates)));
            results.Add(Stranded(multiLabel, multiStranded));
            memory.Add(new BenchResult($"VmHWM of a bench server process, {multiLabel} (largest)", "MB", multiRss));
            contention.AddRange(Contention(multiLabel, multiCounters, backlog));
        }

        List<BenchGroup> groups =
        [
            new BenchGroup($"Processing a backlog of no-op jobs (jobs/s), {storageUnderTest.Name}", results),
            new BenchGroup($"Memory: peak RSS while draining the backlog (MB), {storageUnderTest.Name}", memory),
        ];
        if (contention.Count > 0) groups.Add(new BenchGroup($"Server work and lock contention while draining {backlog:N0} jobs (per run, median), {storageUnderTest.Name}", contention));
        return groups;
    }

    /// <summary>Jobs the storage handed to no worker within <see cref="StallLimit"/> of the last run (per run; 0 for a
    /// storage that loses no fetch): they would run only after its invisibility timeout.</summary>
    private static BenchResult Stranded(string label, List<double> stranded) =>
        new($"stranded jobs (not run in {StallLimit.TotalSeconds:N0} s), {label}", "jobs", Stats.Median(stranded)) { Max = stranded.Max() };

    private static IEnumerable<BenchResult> Contention(string label, List<ContentionCounters> counters, int backlog)
    {
        if (counters.Count == 0) yield break;
        // What the server did per job (the bench's own few status queries included): the work the storage asks of it.
        yield return new BenchResult($"statements per job, {label}", "statements", Stats.Median(counters.Select(c => (double)c.Statements / backlog)));
        yield return new BenchResult($"COMMITs per job, {label}", "commits", Stats.Median(counters.Select(c => (double)c.Commits / backlog)));
        yield return new BenchResult($"InnoDB row-lock waits, {label}", "waits", Stats.Median(counters.Select(c => (double)c.RowLockWaits))) { Max = counters.Max(c => c.RowLockWaits) };
        yield return new BenchResult($"InnoDB deadlocks, {label}", "deadlocks", Stats.Median(counters.Select(c => (double)c.Deadlocks))) { Max = counters.Max(c => c.Deadlocks) };
    }

    /// <summary>An empty storage, then the backlog (jobs 0 … n − 1) written before any server starts, like a burst that
    /// arrived while no worker was free.</summary>
    private static async Task WriteBacklogAsync(StorageUnderTest storageUnderTest, int jobs)
    {
        await storageUnderTest.ResetAsync();
        var storage = storageUnderTest.CreateStorage();
        try
        {
            var client = new BackgroundJobClient(storage);
            await EnqueueCase.Concurrently(8, jobs, n => client.Enqueue<NoopJob>(x => x.Run(n)));
        }
        finally
        {
            (storage as IDisposable)?.Dispose();
        }
    }

    private async Task<(double Rate, double PeakRssMb, int Stranded)> RunOnceAsync(StorageUnderTest storageUnderTest, int workers, int backlog)
    {
        var storage = storageUnderTest.CreateStorage();
        try
        {
            JobProbe.Reset(backlog);
            await using var memory = new ProcessMemory();
            int stranded;
            await using (new BenchServer(storage, environment.ConnectionString, workers))
            {
                stranded = await Wait.UntilDoneOrStalledAsync(() => JobProbe.Total, backlog, StallLimit, TimeSpan.FromMinutes(10), $"{backlog:N0} jobs to run");
                var monitoring = storage.GetMonitoringApi();
                await Wait.UntilAsync(() => monitoring.GetStatistics().Succeeded >= JobProbe.Total, TimeSpan.FromMinutes(1), $"{JobProbe.Total:N0} jobs to be Succeeded", pollMs: 50);
            }

            if (stranded > 0)
            {
                Console.WriteLine($"  WARNING: {stranded:N0} of {backlog:N0} jobs were not run {StallLimit.TotalSeconds:N0} s after the last run ({storageUnderTest.Name}, {workers} workers): stranded until the storage's invisibility timeout");
            }

            Verify(storage, backlog, stranded);
            return (JobProbe.Total / JobProbe.BusySeconds, memory.PeakMb, stranded);
        }
        finally
        {
            (storage as IDisposable)?.Dispose();
        }
    }

    /// <summary>Every job ran at most once and ended Succeeded, and all but the stranded ones ran: the guarantees hold at speed.</summary>
    private static void Verify(JobStorage storage, int backlog, int stranded)
    {
        var twice = JobProbe.RunsPerJob().Select((runs, n) => (N: n, Runs: runs)).Where(r => r.Runs > 1).ToList();
        var statistics = storage.GetMonitoringApi().GetStatistics();
        if (twice.Count > 0 || JobProbe.Total != backlog - stranded || statistics.Succeeded != JobProbe.Total || statistics.Enqueued + statistics.Processing != stranded)
        {
            throw new InvalidOperationException(
                $"Guarantee broken: {JobProbe.Total:N0} runs for {backlog:N0} jobs ({twice.Count} run more than once, e.g. {string.Join(", ", twice.Take(5))}; {stranded:N0} stranded); " +
                $"storage says Succeeded {statistics.Succeeded:N0}, Enqueued {statistics.Enqueued:N0}, Processing {statistics.Processing:N0}.");
        }
    }
}
