using System.Diagnostics;
using System.Reflection;
using Hangfire;
using JobServer.Bench.Storages;
using JobServer.Hosting;

namespace JobServer.Bench.Cases;

/// <summary>
/// Enqueue → start latency with idle workers at ~50 jobs/s: first enqueued by a client in the server's process (the
/// storage wakes its fetcher at once), then by a child process on its own storage instance (seen by polling). The job
/// itself measures the latency: <see cref="DateTime.UtcNow"/> at its start minus the moment taken just before the
/// enqueue call, on this machine's one clock.
/// </summary>
internal sealed class LatencyCase(BenchEnvironment environment, BenchOptions options) : IBenchCase
{
    public const int WarmUpJobs = 20;

    public string Name => "latency";

    public async Task<IReadOnlyList<BenchGroup>> RunAsync(StorageUnderTest storageUnderTest)
    {
        var jobs = options.LatencyJobs;
        await storageUnderTest.ResetAsync();
        var storage = storageUnderTest.CreateStorage();
        var results = new List<BenchResult>();
        try
        {
            await using (new BenchServer(storage, environment.ConnectionString, JobServerOptions.DefaultWorkerCount))
            {
                var client = new BackgroundJobClient(storage);
                JobProbe.Reset(); // the previous storage's jobs must not count as this one's warm-up
                await EnqueueSpacedAsync(client, WarmUpJobs);
                await UntilStartedAsync(storageUnderTest, WarmUpJobs, "the warm-up jobs");

                JobProbe.Reset();
                await EnqueueSpacedAsync(client, jobs);
                await UntilStartedAsync(storageUnderTest, jobs, "the same-process jobs");
                results.AddRange(Summarize("same process", JobProbe.Latencies()));

                if (!storageUnderTest.SharedAcrossProcesses)
                {
                    Console.WriteLine("  enqueue -> start, another process: n/a: in-process storage");
                }
                else
                {
                    JobProbe.Reset();
                    await RunChildAsync(storageUnderTest.Name, jobs);
                    await UntilStartedAsync(storageUnderTest, jobs, "the other process's jobs");
                    results.AddRange(Summarize("another process", JobProbe.Latencies()));
                }
            }
        }
        finally
        {
            (storage as IDisposable)?.Dispose();
        }

        return [new BenchGroup($"Enqueue -> start latency at ~50 jobs/s, idle workers (ms), {storageUnderTest.Name}", results)];
    }

    /// <summary>Until every job started, or none did for <see cref="ProcessingCase.StallLimit"/>: a job the storage
    /// fetched and lost starts only after its invisibility timeout; it is named and left out of the figures.</summary>
    private static async Task UntilStartedAsync(StorageUnderTest storageUnderTest, int jobs, string what)
    {
        var stranded = await Wait.UntilDoneOrStalledAsync(() => JobProbe.LatencyCount, jobs, ProcessingCase.StallLimit, TimeSpan.FromMinutes(5), what);
        if (stranded > 0) Console.WriteLine($"  WARNING: {stranded} of {what} had not started {ProcessingCase.StallLimit.TotalSeconds:N0} s after the last one ({storageUnderTest.Name}): stranded until the storage's invisibility timeout");
    }

    /// <summary>One job every 10–30 ms (20 ms on average): arrivals never line up with a poll cycle.</summary>
    public static async Task EnqueueSpacedAsync(BackgroundJobClient client, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var at = DateTime.UtcNow.Ticks;
            client.Enqueue<NoopJob>(x => x.Timed(at));
            await Task.Delay(TimeSpan.FromMilliseconds(10 + Random.Shared.NextDouble() * 20));
        }
    }

    private static async Task RunChildAsync(string storageName, int jobs)
    {
        var (file, prefix) = SelfCommand();
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = false, RedirectStandardError = false };
        foreach (var arg in prefix.Concat([ChildEnqueuer.CommandName, "--storage", storageName, "--latency-jobs", jobs.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            start.ArgumentList.Add(arg);
        }

        using var child = Process.Start(start) ?? throw new InvalidOperationException("Could not start the enqueueing child process.");
        await child.WaitForExitAsync();
        if (child.ExitCode != 0) throw new InvalidOperationException($"The enqueueing child process exited with {child.ExitCode}.");
    }

    /// <summary>This program again: its apphost, or <c>dotnet JobServer.Bench.dll</c> when started that way.</summary>
    internal static (string File, string[] Prefix) SelfCommand()
    {
        var process = Environment.ProcessPath ?? "dotnet";
        var dll = Assembly.GetEntryAssembly()!.Location;
        return Path.GetFileNameWithoutExtension(process) == "dotnet" ? (process, [dll]) : (process, []);
    }

    private static IEnumerable<BenchResult> Summarize(string from, List<double> latencies)
    {
        Console.WriteLine($"  enqueue -> start, {from}, {latencies.Count} jobs: p50 {Stats.Percentile(latencies, 0.5):N1} ms, p95 {Stats.Percentile(latencies, 0.95):N1} ms, " +
            $"p99 {Stats.Percentile(latencies, 0.99):N1} ms, max {latencies.Max():N1} ms");
        return
        [
            new BenchResult($"p50, enqueued in {from}", "ms", Stats.Percentile(latencies, 0.50)),
            new BenchResult($"p95, enqueued in {from}", "ms", Stats.Percentile(latencies, 0.95)),
            new BenchResult($"p99, enqueued in {from}", "ms", Stats.Percentile(latencies, 0.99)),
        ];
    }
}
