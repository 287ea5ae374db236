using Dapper;
using JobServer.Engine.States;
using JobServer.Jobs.Builtin;

namespace JobServer.Bench;

/// <summary>
/// Enqueue → start latency with idle workers: jobs enqueued one at a time, spaced so every worker is idle, first by a
/// client in the server's own process (woken at once), then by a client in another process (seen by polling).
/// Latency is <c>started_at − created_at</c>, both stamped on this machine's clock.
/// </summary>
internal sealed class LatencyBenchmark(BenchDatabase database, int jobs)
{
    public async Task<IReadOnlyList<BenchResult>> RunAsync()
    {
        var results = new List<BenchResult>();
        database.EmptyJobs();
        await using (var server = await BenchServer.StartAsync(database.ConnectionString))
        {
            await EnqueueSpacedAsync(server, TimeSpan.FromMilliseconds(20));
            await server.WaitAllAsync(JobState.Succeeded, TimeSpan.FromMinutes(2));
        }

        results.AddRange(Summarize("same process", Latencies()));

        database.EmptyJobs();
        using var worker = WebServerProcess.Start(database.ConnectionString, 5110, "bench-latency-worker");
        using (var http = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:5110") })
        {
            await worker.WaitUntilHealthyAsync(http);
        }

        await using (var client = await BenchServer.StartAsync(database.ConnectionString, new Dictionary<string, string?> { ["JobServer:ProcessJobs"] = "false" }, start: false))
        {
            // Spacing varies so arrivals do not line up with the worker's poll cycle.
            await EnqueueSpacedAsync(client, TimeSpan.FromMilliseconds(60), jitter: true);
            await client.WaitAllAsync(JobState.Succeeded, TimeSpan.FromMinutes(2));
        }

        results.AddRange(Summarize("another process", Latencies()));
        return results;
    }

    private async Task EnqueueSpacedAsync(BenchServer server, TimeSpan spacing, bool jitter = false)
    {
        for (var i = -10; i < jobs; i++)
        {
            server.Client.Enqueue(SleepJob.TypeName, new SleepArgs());
            var wait = jitter ? spacing * (0.5 + Random.Shared.NextDouble()) : spacing;
            await Task.Delay(wait);
        }
    }

    private List<double> Latencies()
    {
        using var connection = database.Open();
        // The first ten are the warm-up (JIT, pools).
        return connection.Query<double>(
                "SELECT TIMESTAMPDIFF(MICROSECOND, created_at, started_at) / 1000.0 FROM js_job WHERE id > (SELECT MIN(id) + 9 FROM js_job) ORDER BY 1")
            .ToList();
    }

    private static IEnumerable<BenchResult> Summarize(string from, List<double> sorted)
    {
        double P(double q) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(sorted.Count * q) - 1)];
        Console.WriteLine($"latency enqueue -> start, {from}, {sorted.Count} jobs: p50 {P(0.50):N1} ms, p95 {P(0.95):N1} ms, p99 {P(0.99):N1} ms, max {sorted[^1]:N1} ms");
        return [
            new BenchResult($"enqueue -> start p50, {from}", "ms", P(0.50)),
            new BenchResult($"enqueue -> start p95, {from}", "ms", P(0.95)),
            new BenchResult($"enqueue -> start p99, {from}", "ms", P(0.99)),
        ];
    }
}
