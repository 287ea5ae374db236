using Hangfire;
using JobServer.Bench.Storages;

namespace JobServer.Bench.Cases;

/// <summary>
/// A backlog of no-op jobs drained by one server with 10 workers, then with 50: jobs per second from the first job's
/// start to the last one's end. Every run checks that each job ran exactly once (the probe counts runs per job number)
/// and that the storage's Succeeded count is the backlog. The process's peak RSS while it drains is reported too
/// (the server runs in this process). Baseline: the raw commit rate with as many connections as workers.
/// </summary>
internal sealed class ProcessingCase(BenchEnvironment environment, BenchOptions options) : IBenchCase
{
    private static readonly int[] WorkerCounts = [10, 50];
    private const int WarmUpJobs = 1_000;

    public string Name => "processing";

    public async Task<IReadOnlyList<BenchGroup>> RunAsync(StorageUnderTest storageUnderTest)
    {
        var backlog = options.Backlog;
        var results = new List<BenchResult>();
        var memory = new List<BenchResult>();
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
            double peakRss = 0;
            for (var run = -1; run < options.Repeats; run++)
            {
                var (rate, rss) = await RunOnceAsync(storageUnderTest, workers, run < 0 ? WarmUpJobs : backlog);
                if (run < 0) continue;
                rates.Add(rate);
                peakRss = Math.Max(peakRss, rss);
            }

            results.Add(new BenchResult($"no-op jobs, 1 server x {workers} workers, {backlog:N0} backlog", "jobs/s", Stats.Median(rates)) { Baseline = raw });
            memory.Add(new BenchResult($"peak RSS of the process, 1 server x {workers} workers", "MB", peakRss));
        }

        return
        [
            new BenchGroup($"Processing a backlog of no-op jobs (jobs/s), {storageUnderTest.Name}", results),
            new BenchGroup($"Memory while draining the backlog (MB; the bench process, server in it), {storageUnderTest.Name}", memory),
        ];
    }

    private async Task<(double Rate, double PeakRssMb)> RunOnceAsync(StorageUnderTest storageUnderTest, int workers, int backlog)
    {
        await storageUnderTest.ResetAsync();
        var storage = storageUnderTest.CreateStorage();
        try
        {
            // The backlog is written before the server starts, like a burst that arrived while no worker was free.
            var client = new BackgroundJobClient(storage);
            await EnqueueCase.Concurrently(8, backlog, n => client.Enqueue<NoopJob>(x => x.Run(n)));
            JobProbe.Reset(backlog);
            await using var memory = new ProcessMemory();
            await using (new BenchServer(storage, environment.ConnectionString, workers))
            {
                await Wait.UntilAsync(() => JobProbe.Total >= backlog, TimeSpan.FromMinutes(10), $"{backlog:N0} jobs to run");
                var monitoring = storage.GetMonitoringApi();
                await Wait.UntilAsync(() => monitoring.GetStatistics().Succeeded >= backlog, TimeSpan.FromMinutes(1), $"{backlog:N0} jobs to be Succeeded", pollMs: 50);
            }

            Verify(storage, backlog);
            return (backlog / JobProbe.BusySeconds, memory.PeakMb);
        }
        finally
        {
            (storage as IDisposable)?.Dispose();
        }
    }

    /// <summary>Every job ran once and ended Succeeded: the guarantees hold at speed.</summary>
    private static void Verify(JobStorage storage, int backlog)
    {
        var wrong = JobProbe.NotExactlyOnce();
        var statistics = storage.GetMonitoringApi().GetStatistics();
        if (wrong.Count > 0 || JobProbe.Total != backlog || statistics.Succeeded != backlog || statistics.Enqueued != 0 || statistics.Processing != 0)
        {
            throw new InvalidOperationException(
                $"Guarantee broken: {JobProbe.Total:N0} runs for {backlog:N0} jobs ({wrong.Count} not run exactly once, e.g. {string.Join(", ", wrong.Take(5))}); " +
                $"storage says Succeeded {statistics.Succeeded:N0}, Enqueued {statistics.Enqueued:N0}, Processing {statistics.Processing:N0}.");
        }
    }
}
