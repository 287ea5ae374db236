using System.Collections.Concurrent;
using System.Diagnostics;
using Hangfire;
using JobServer.Storage.MySql.Tests.Infrastructure;
using Xunit.Abstractions;

namespace JobServer.Storage.MySql.Tests.Measurements;

/// <summary>
/// Prints how long a job waits between its enqueue and its start on an idle server, enqueued through the server's own
/// storage instance (in-process wake-up) and through another instance (what another process sees: adaptive polling).
/// Figures are printed, not asserted: timings on a shared 2-core machine prove nothing in a unit test.
/// </summary>
public sealed class StartLatencyTests(MySqlTestDatabase db, ITestOutputHelper output) : IClassFixture<MySqlTestDatabase>
{
    private const int Jobs = 30;
    private static readonly ConcurrentDictionary<string, long> Started = new();

    public static void Record(string marker) => Started[marker] = Stopwatch.GetTimestamp();

    [Fact]
    public async Task Enqueue_OnIdleServer_StartsSoonInProcessAndAcrossProcesses()
    {
        using var serverStorage = db.CreateStorage();
        using var otherProcess = db.CreateStorage();
        using var server = new BackgroundJobServer(new BackgroundJobServerOptions { WorkerCount = 4 }, serverStorage);
        // Warm-up: the first jobs pay for JIT compilation of Hangfire's pipeline and the pools' first connections.
        await MeasureAsync(new BackgroundJobClient(serverStorage), "warm-up", 5);
        await MeasureAsync(new BackgroundJobClient(otherProcess), "warm-up-other", 5);
        var sameProcess = await MeasureAsync(new BackgroundJobClient(serverStorage), "same");
        var crossProcess = await MeasureAsync(new BackgroundJobClient(otherProcess), "cross");
        output.WriteLine($"enqueue → start, same storage instance (in-process wake-up): {Describe(sameProcess)}");
        output.WriteLine($"enqueue → start, another storage instance (polling, as another process): {Describe(crossProcess)}");
        Assert.Equal(Jobs, sameProcess.Count);
        Assert.Equal(Jobs, crossProcess.Count);
    }

    private static async Task<List<double>> MeasureAsync(BackgroundJobClient client, string run, int jobs = Jobs)
    {
        var latencies = new List<double>();
        for (var i = 0; i < jobs; i++)
        {
            var marker = $"{run}-{i}-{Guid.NewGuid():N}";
            var enqueuedAt = Stopwatch.GetTimestamp();
            client.Enqueue(() => Record(marker));
            var deadline = DateTime.UtcNow.AddSeconds(10);
            long startedAt;
            while (!Started.TryGetValue(marker, out startedAt) && DateTime.UtcNow < deadline) await Task.Delay(1);
            if (startedAt != 0) latencies.Add(Stopwatch.GetElapsedTime(enqueuedAt, startedAt).TotalMilliseconds);
            // Idle again before the next one, at an irregular phase against the poll interval.
            await Task.Delay(40 + Random.Shared.Next(60));
        }
        return latencies;
    }

    private static string Describe(List<double> values)
    {
        if (values.Count == 0) return "no job started";
        var sorted = values.Order().ToList();
        double At(double q) => sorted[(int)Math.Min(sorted.Count - 1, Math.Round(q * (sorted.Count - 1)))];
        return $"p50 {At(0.5):F1} ms, p95 {At(0.95):F1} ms, max {sorted[^1]:F1} ms over {sorted.Count} jobs";
    }
}
