using System.Collections.Concurrent;
using Hangfire.Server;

namespace JobServer.Storage.MySql.Tests.EndToEnd;

/// <summary>A no-op job that counts its executions per run and job id, in memory: both servers run in this process.</summary>
public static class ThroughputJobs
{
    private static readonly ConcurrentDictionary<string, ConcurrentDictionary<string, int>> Runs = new();

    public static void Noop(string run, PerformContext context) =>
        Runs.GetOrAdd(run, _ => new()).AddOrUpdate(context.BackgroundJob.Id, 1, (_, n) => n + 1);

    public static IReadOnlyDictionary<string, int> ExecutionsOf(string run) =>
        Runs.TryGetValue(run, out var counts) ? new Dictionary<string, int>(counts) : new Dictionary<string, int>();
}
