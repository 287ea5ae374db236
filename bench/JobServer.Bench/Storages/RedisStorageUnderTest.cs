using System.Collections.Concurrent;
using System.Diagnostics;
using Hangfire;
using Hangfire.Redis.StackExchange;
using StackExchange.Redis;

namespace JobServer.Bench.Storages;

/// <summary>
/// Hangfire.Redis.StackExchange on the benchmark's private Redis (scripts/redis.sh), one ConnectionMultiplexer per
/// storage instance as its README recommends, with its own key prefix (the README's one "highly recommended" setting).
/// Its defaults are already its low-latency ones: fetchers wait on Redis pub/sub, which every enqueue publishes to, and
/// poll only as a fallback (FetchTimeout).
/// </summary>
internal sealed class RedisStorageUnderTest(string configuration) : StorageUnderTest
{
    public const string StorageName = "Hangfire.Redis.StackExchange";
    private const string Prefix = "{jobserver-bench}:";
    private const string CommitKey = "bench:commit";

    private readonly ConcurrentBag<ConnectionMultiplexer> _multiplexers = [];
    private ConnectionMultiplexer? _admin;

    public override string Name => StorageName;

    public override async Task PrepareAsync()
    {
        var server = await AdminAsync();
        var info = (await server.InfoAsync("server")).SelectMany(g => g).ToDictionary(kv => kv.Key, kv => kv.Value);
        var options = Options();
        Settings = new Dictionary<string, string>
        {
            ["package"] = "Hangfire.Redis.StackExchange " + VersionOf(typeof(RedisStorage)),
            ["driver"] = "StackExchange.Redis " + VersionOf(typeof(ConnectionMultiplexer)),
            ["server"] = "Redis " + info.GetValueOrDefault("redis_version", "?"),
            ["appendonly"] = await ConfigAsync(server, "appendonly"),
            ["appendfsync"] = await ConfigAsync(server, "appendfsync"),
            ["save"] = await ConfigAsync(server, "save") is { Length: > 0 } save ? save : "(none)",
            ["options"] = Describe(options),
        };
    }

    public override JobStorage CreateStorage()
    {
        var multiplexer = ConnectionMultiplexer.Connect(configuration);
        _multiplexers.Add(multiplexer);
        return new RedisStorage(multiplexer, Options());
    }

    /// <summary>FLUSHDB: the database holds only this benchmark's keys.</summary>
    public override async Task ResetAsync() => await (await AdminAsync()).FlushDatabaseAsync();

    public override string RawCommitLabel(int connections) =>
        $"LPUSH, one per round trip, {connections} connection{(connections == 1 ? "" : "s")} (fsync {Settings.GetValueOrDefault("appendfsync", "?")})";

    /// <summary>The nearest Redis has to a one-row commit: one LPUSH awaited per round trip, each from its own
    /// connection (a multiplexer apiece, so the pushes are not pipelined together).</summary>
    public override async Task<double?> RawCommitsPerSecondAsync(int connections, int commits)
    {
        await AdminAsync();
        var admin = _admin!;
        await admin.GetDatabase().KeyDeleteAsync(CommitKey);
        var perConnection = commits / connections;
        var multiplexers = await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => ConnectionMultiplexer.ConnectAsync(configuration)));
        try
        {
            var stopwatch = Stopwatch.StartNew();
            await Task.WhenAll(multiplexers.Select(m => Task.Run(async () =>
            {
                var database = m.GetDatabase();
                for (var i = 0; i < perConnection; i++) await database.ListLeftPushAsync(CommitKey, "{}");
            })));
            var rate = perConnection * connections / stopwatch.Elapsed.TotalSeconds;
            var length = await admin.GetDatabase().ListLengthAsync(CommitKey);
            if (length != perConnection * connections) throw new InvalidOperationException($"Pushed {perConnection * connections:N0} but the list holds {length:N0}.");
            return rate;
        }
        finally
        {
            foreach (var m in multiplexers) await m.DisposeAsync();
        }
    }

    public override async ValueTask DisposeAsync()
    {
        while (_multiplexers.TryTake(out var multiplexer)) await multiplexer.DisposeAsync();
        if (_admin is not null) await _admin.DisposeAsync();
    }

    private static RedisStorageOptions Options() => new() { Prefix = Prefix };

    /// <summary>A connection allowed to flush and read the configuration (not the storage's own).</summary>
    private async Task<IServer> AdminAsync()
    {
        _admin ??= await ConnectionMultiplexer.ConnectAsync(configuration + ",allowAdmin=true");
        return _admin.GetServers().Single();
    }

    private static async Task<string> ConfigAsync(IServer server, string name) =>
        (await server.ConfigGetAsync(name)).FirstOrDefault(kv => kv.Key == name).Value ?? "?";
}
