using System.Diagnostics;
using Hangfire;
using JobServer.Bench.Storages;

namespace JobServer.Bench.Cases;

/// <summary>
/// Enqueue rate of Hangfire's <see cref="BackgroundJobClient"/> (a no-op job, one call per job) from 1 thread and from 8,
/// with no server running, so only the enqueue path is measured; each run starts from an empty storage and checks that
/// every job is on the queue. The baseline is the database's raw commit rate with as many connections.
/// </summary>
internal sealed class EnqueueCase(BenchOptions options) : IBenchCase
{
    private static readonly int[] ThreadCounts = [1, 8];

    public string Name => "enqueue";

    public async Task<IReadOnlyList<BenchGroup>> RunAsync(StorageUnderTest storageUnderTest)
    {
        var jobs = options.EnqueueJobs;
        var results = new List<BenchResult>();
        var storage = storageUnderTest.CreateStorage();
        try
        {
            var client = new BackgroundJobClient(storage);
            foreach (var threads in ThreadCounts)
            {
                var raw = await RawAsync(storageUnderTest, threads, jobs);
                if (raw is not null) results.Add(raw);
                var rates = new List<double>();
                for (var run = -1; run < options.Repeats; run++)
                {
                    await storageUnderTest.ResetAsync();
                    var stopwatch = Stopwatch.StartNew();
                    await Concurrently(threads, jobs, n => client.Enqueue<NoopJob>(x => x.Run(n)));
                    var seconds = stopwatch.Elapsed.TotalSeconds;
                    var enqueued = storage.GetMonitoringApi().EnqueuedCount("default");
                    if (enqueued != jobs) throw new InvalidOperationException($"Enqueued {jobs:N0} jobs but the queue holds {enqueued:N0}.");
                    if (run >= 0) rates.Add(jobs / seconds);
                }

                results.Add(new BenchResult($"BackgroundJobClient.Enqueue, {Threads(threads)}, {jobs:N0} jobs", "jobs/s", Stats.Median(rates)) { Baseline = raw });
            }
        }
        finally
        {
            (storage as IDisposable)?.Dispose();
        }

        return [new BenchGroup($"Enqueue rate (jobs/s), {storageUnderTest.Name}", results)];
    }

    private async Task<BenchResult?> RawAsync(StorageUnderTest storage, int connections, int commits)
    {
        var rates = new List<double>();
        for (var run = -1; run < options.Repeats; run++)
        {
            if (await storage.RawCommitsPerSecondAsync(connections, commits) is not { } rate) return null;
            if (run >= 0) rates.Add(rate);
        }

        return new BenchResult($"raw: {storage.RawCommitLabel(connections)}", "commits/s", Stats.Median(rates)) { IsBaseline = true };
    }

    /// <summary>Calls <paramref name="one"/> for 0 … count − 1, split over <paramref name="threads"/> threads (the client
    /// is synchronous and thread-safe: one thread per concurrent caller).</summary>
    internal static Task Concurrently(int threads, int count, Action<int> one)
    {
        var next = -1;
        return Task.WhenAll(Enumerable.Range(0, threads).Select(_ => Task.Factory.StartNew(() =>
        {
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next)) one(i);
        }, TaskCreationOptions.LongRunning)));
    }

    private static string Threads(int n) => n == 1 ? "1 thread" : $"{n} threads";
}
