using System.Diagnostics;
using JobServer.Storage.MySql;
using JobServer.Tests.Infrastructure;
using Xunit.Abstractions;

namespace JobServer.Tests.Reliability;

/// <summary>
/// Many HTTP clients enqueueing one job per request (<c>POST /api/jobs</c>) over loopback into a JobServer process
/// that runs them: every request is answered 202 with its own id, and every job runs once. Prints enqueue throughput,
/// latency percentiles and the processing rate (figures, never assertions).
/// </summary>
[Collection(SerialCollection.Name)]
[Trait("Category", ReliabilityScale.Category)]
public sealed class EnqueueLoadTests(TestDatabase database, ITestOutputHelper output) : IClassFixture<TestDatabase>
{
    private static readonly ReliabilityScale Scale = ReliabilityScale.Current;

    [Fact]
    public async Task ConcurrentClientsEnqueueOverLoopback_Every202IsADistinctJob_EachRunsOnce()
    {
        var clients = Scale.LoadClients;
        var total = clients * Scale.JobsPerLoadClient;
        // The shipped configuration (default and cpu pools, Hangfire's worker count), with quick heartbeats only.
        using var server = ChildServer.Start(database.ConnectionString, "load");
        using var http = await server.CreateReadyClientAsync(HttpLoad.Handler(clients));
        var storage = new MySqlStorage(database.ConnectionString, new MySqlStorageOptions { PrepareSchemaIfNecessary = false });

        var clock = Stopwatch.StartNew();
        var answers = await HttpLoad.RunAsync(http, clients, () => HttpLoad.EnqueueSleep(0), sent => sent < Scale.JobsPerLoadClient);
        var enqueueSeconds = clock.Elapsed.TotalSeconds;
        var leftWhenEnqueued = JobOutcomes.Unfinished(storage);
        await Eventually.UntilAsync(() => JobOutcomes.Unfinished(storage), n => n == 0, TimeSpan.FromSeconds(300), "every job to finish");
        var processSeconds = clock.Elapsed.TotalSeconds;

        var ids = answers.Where(a => a.Accepted).Select(a => a.JobId!).ToList();
        var outcomes = JobOutcomes.Read(storage, ids);
        var verdict = RunVerdict.Judge(ids, outcomes);
        var errors = answers.Where(a => !a.Accepted).ToList();
        var latencies = answers.Select(a => a.Took.TotalMilliseconds).Order().ToList();
        output.WriteLine($"[{Scale.Name}] {clients} HTTP clients × {Scale.JobsPerLoadClient:N0} = {total:N0} POST /api/jobs (sleep 0) over loopback: " +
                         $"{ids.Count:N0} accepted, {errors.Count} errors; enqueued in {enqueueSeconds:N1} s ({total / enqueueSeconds:N0} requests/s); " +
                         $"latency p50 {HttpLoad.Percentile(latencies, 0.50):N1} ms, p90 {HttpLoad.Percentile(latencies, 0.90):N1} ms, " +
                         $"p99 {HttpLoad.Percentile(latencies, 0.99):N1} ms, max {latencies[^1]:N1} ms");
        output.WriteLine($"  processed: all finished {processSeconds:N1} s after the first request ({total / processSeconds:N0} jobs/s overall); " +
                         $"{total - leftWhenEnqueued:N0} were done when the last was enqueued, the other {leftWhenEnqueued:N0} took {processSeconds - enqueueSeconds:N1} s " +
                         $"({leftWhenEnqueued / Math.Max(processSeconds - enqueueSeconds, 0.001):N0} jobs/s, {JobServer.Hosting.JobServerOptions.DefaultWorkerCount} workers); {verdict}");

        Assert.True(errors.Count == 0, $"{errors.Count} requests not answered 202, e.g. " + string.Join("; ", errors.Take(5)));
        Assert.Equal(total, ids.Distinct().Count());
        verdict.AssertClean();
    }
}
