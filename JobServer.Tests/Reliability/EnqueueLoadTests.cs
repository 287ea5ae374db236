using System.Diagnostics;
using JobServer.Tests.Infrastructure;
using Xunit.Abstractions;

namespace JobServer.Tests.Reliability;

/// <summary>
/// Many HTTP clients enqueueing one job per request over loopback into a JobServer process that runs them: no
/// request fails, every job runs exactly once. Reports enqueue latency and the processing rate.
/// </summary>
[Trait("Category", ReliabilityScale.Category)]
public sealed class EnqueueLoadTests(TestDatabase database, ITestOutputHelper output) : IClassFixture<TestDatabase>
{
    private static readonly ReliabilityScale Scale = ReliabilityScale.Current;

    [Fact]
    public async Task ConcurrentClientsEnqueueOverLoopback_NoErrors_EachJobProcessedOnce()
    {
        database.Reset();
        var clients = Scale.LoadClients;
        var total = clients * Scale.JobsPerLoadClient;
        using var server = ChildServer.Start(database.ConnectionString, "load");
        using var http = await server.CreateReadyClientAsync(HttpLoad.Handler(clients));

        var clock = Stopwatch.StartNew();
        var answers = await HttpLoad.RunAsync(http, clients, () => HttpLoad.EnqueueSleep(0), sent => sent < Scale.JobsPerLoadClient);
        var enqueueSeconds = clock.Elapsed.TotalSeconds;
        var doneWhenEnqueued = JobRecords.Succeeded(database);
        await JobRecords.UntilAllFinishedAsync(database, TimeSpan.FromSeconds(300)); // the verdict names any that did not
        var processSeconds = clock.Elapsed.TotalSeconds;

        var records = JobRecords.ReadAll(database);
        var ids = answers.Where(a => a.Accepted).Select(a => a.JobId!.Value).ToList();
        var verdict = ExactlyOnceVerdict.Judge(ids, records);
        var errors = answers.Where(a => !a.Accepted).ToList();
        var latencies = answers.Select(a => a.Took.TotalMilliseconds).Order().ToList();
        output.WriteLine($"[{Scale.Name}] {clients} HTTP clients × {Scale.JobsPerLoadClient:N0} = {total:N0} sleep 0 jobs over loopback, one per request: " +
                         $"{ids.Count:N0} accepted, {errors.Count} errors; enqueued in {enqueueSeconds:N1} s ({total / enqueueSeconds:N0} jobs/s); " +
                         $"enqueue latency p50 {Percentile(latencies, 0.50):N1} ms, p99 {Percentile(latencies, 0.99):N1} ms, max {latencies[^1]:N1} ms");
        output.WriteLine($"  processed: all finished {processSeconds:N1} s after the first request ({total / processSeconds:N0} jobs/s overall); " +
                         $"{doneWhenEnqueued:N0} were done when the last was enqueued, the other {total - doneWhenEnqueued:N0} took {processSeconds - enqueueSeconds:N1} s " +
                         $"({(total - doneWhenEnqueued) / Math.Max(processSeconds - enqueueSeconds, 0.001):N0} jobs/s, default configuration); {verdict}; rows in js_job: {records.Count:N0}");

        Assert.True(errors.Count == 0, $"{errors.Count} requests not answered 202, e.g. " + string.Join("; ", errors.Take(5)));
        Assert.Equal(total, ids.Distinct().Count());
        Assert.Equal(total, records.Count);
        verdict.AssertClean();
    }

    private static double Percentile(IReadOnlyList<double> sorted, double q) => sorted[Math.Clamp((int)Math.Ceiling(sorted.Count * q) - 1, 0, sorted.Count - 1)];
}
