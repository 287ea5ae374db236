using Hangfire;
using JobServer.Bench.Storages;

namespace JobServer.Bench.Cases;

/// <summary>The latency case's other process: its own storage instance and client, a few untimed jobs to warm up
/// (JIT, connection pool), then the timed jobs at ~50/s; the parent's server runs them.</summary>
internal static class ChildEnqueuer
{
    public const string CommandName = "child-enqueue";

    public static async Task<int> RunAsync(BenchOptions options, BenchEnvironment environment)
    {
        await using var storageUnderTest = StorageUnderTest.Create(options.Storage ?? StorageUnderTest.Names[0], environment);
        var storage = storageUnderTest.CreateStorage();
        try
        {
            var client = new BackgroundJobClient(storage);
            for (var i = 0; i < LatencyCase.WarmUpJobs; i++) client.Enqueue<NoopJob>(x => x.Run(-1));
            await LatencyCase.EnqueueSpacedAsync(client, options.LatencyJobs);
            return 0;
        }
        finally
        {
            (storage as IDisposable)?.Dispose();
        }
    }
}
