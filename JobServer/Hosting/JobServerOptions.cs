using System.ComponentModel.DataAnnotations;
using Hangfire;
using JobServer.Storage.MySql;

namespace JobServer.Hosting;

/// <summary>
/// The host's settings, bound from the <c>JobServer</c> section (appsettings*.json, or environment variables such as
/// <c>JobServer__ServerTimeout=00:02:00</c>) and validated at start. Names follow Hangfire's
/// <c>BackgroundJobServerOptions</c>; defaults are tighter than Hangfire's where our storage makes that cheap
/// (a heartbeat is one UPDATE), each noted with Hangfire's own.
/// </summary>
public sealed class JobServerOptions
{
    public const string SectionName = "JobServer";

    /// <summary>Hangfire's default worker count for a pool that names none: 5 per core, at most 20.</summary>
    public static int DefaultWorkerCount => Math.Min(Environment.ProcessorCount * 5, 20);

    /// <summary>Shown on the dashboard's Servers page; Hangfire adds the process id and a random suffix per server.
    /// Default: the machine name (Hangfire's default).</summary>
    [MaxLength(100)]
    public string? ServerName { get; set; }

    /// <summary>False: this process only enqueues, reads and serves the dashboard (a web front end); no Hangfire server
    /// runs in it. Default true.</summary>
    public bool ProcessJobs { get; set; } = true;

    /// <summary>The Hangfire servers this process runs, each with its queues in priority order (fetched first to
    /// last) and its worker count. Default: <see cref="ServerPoolOptions.DefaultPools"/> — <c>default</c> with
    /// Hangfire's worker count and <c>cpu</c> with one worker per core, so CPU-bound jobs never take every core.</summary>
    public List<ServerPoolOptions>? Servers { get; set; }

    /// <summary>How often each server reports that it is alive. Default 10 s (Hangfire: 30 s).</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A server silent for this long is removed and its running jobs go back to their queues. Default 1 min
    /// (Hangfire: 5 min). Must exceed two heartbeat intervals.</summary>
    public TimeSpan ServerTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often servers look for timed-out peers. Default 15 s (Hangfire: 5 min).</summary>
    public TimeSpan ServerCheckInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often delayed jobs and retries are checked for being due. Default 1 s (Hangfire: 15 s).</summary>
    public TimeSpan SchedulePollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How quickly a job deleted elsewhere sees its CancellationToken fire. Default 1 s (Hangfire: 5 s).</summary>
    public TimeSpan CancellationCheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>At shutdown, how long running jobs get to stop after their token fires; a job still running is
    /// handed back to its queue by the storage. Default 15 s (Hangfire's).</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long Succeeded and Deleted jobs stay visible before expiration removes them (Hangfire's
    /// <c>JobExpirationTimeout</c>); Failed jobs stay until deleted. Default 1 day (Hangfire's).</summary>
    public TimeSpan SucceededRetention { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The storage's options (<see cref="MySqlStorageOptions"/>), bound from <c>JobServer:Storage</c>.</summary>
    public MySqlStorageOptions Storage { get; set; } = new();

    /// <summary>The pools to run: <see cref="Servers"/> when configured, the defaults otherwise. (The configuration binder
    /// adds to a list it finds filled, so the defaults cannot live in <see cref="Servers"/> itself.)</summary>
    public IReadOnlyList<ServerPoolOptions> EffectiveServers() => Servers is { Count: > 0 } ? Servers : ServerPoolOptions.DefaultPools();

    /// <summary>The server name of a pool: <see cref="ServerName"/> (or the machine name), plus the pool's name when the
    /// process runs more than one, so the Servers page tells them apart.</summary>
    public string ServerNameOf(ServerPoolOptions pool)
    {
        var name = string.IsNullOrWhiteSpace(ServerName) ? Environment.MachineName : ServerName;
        return EffectiveServers().Count > 1 ? $"{name}:{pool.NameOrFirstQueue}" : name;
    }

    /// <summary>Hangfire's options for one pool's server: its name, queues and workers, and this host's intervals and
    /// timeouts. The caller adds the activator, filters and time-zone resolver of its container.</summary>
    public BackgroundJobServerOptions ServerOptionsFor(ServerPoolOptions pool) => new()
    {
        ServerName = ServerNameOf(pool),
        Queues = [.. pool.Queues],
        WorkerCount = pool.EffectiveWorkers,
        HeartbeatInterval = HeartbeatInterval,
        ServerTimeout = ServerTimeout,
        ServerCheckInterval = ServerCheckInterval,
        SchedulePollingInterval = SchedulePollingInterval,
        CancellationCheckInterval = CancellationCheckInterval,
        ShutdownTimeout = ShutdownTimeout,
    };

    /// <summary>Every problem with these settings, each naming its key; empty when they are valid.</summary>
    public IEnumerable<string> Problems()
    {
        foreach (var (key, value) in new[]
        {
            (nameof(HeartbeatInterval), HeartbeatInterval), (nameof(ServerTimeout), ServerTimeout),
            (nameof(ServerCheckInterval), ServerCheckInterval), (nameof(SchedulePollingInterval), SchedulePollingInterval),
            (nameof(CancellationCheckInterval), CancellationCheckInterval), (nameof(ShutdownTimeout), ShutdownTimeout),
            (nameof(SucceededRetention), SucceededRetention),
        })
        {
            if (value <= TimeSpan.Zero) yield return $"{SectionName}:{key} must be positive (was {value}).";
        }

        if (ServerTimeout <= HeartbeatInterval * 2)
        {
            yield return $"{SectionName}:{nameof(ServerTimeout)} ({ServerTimeout}) must exceed two heartbeat intervals ({HeartbeatInterval} each), or live servers are taken for dead.";
        }

        var pools = EffectiveServers();
        for (var i = 0; i < pools.Count; i++)
        {
            foreach (var problem in pools[i].Problems($"{SectionName}:{nameof(Servers)}:{i}"))
            {
                yield return problem;
            }
        }

        if (pools.Select(p => p.NameOrFirstQueue).Distinct(StringComparer.OrdinalIgnoreCase).Count() != pools.Count)
        {
            yield return $"{SectionName}:{nameof(Servers)} names a pool twice; give each a distinct Name.";
        }

        string? storageProblem = null;
        try
        {
            Storage.Validate();
        }
        catch (ArgumentException ex)
        {
            storageProblem = $"{SectionName}:{nameof(Storage)}: {ex.Message}";
        }

        if (storageProblem is not null) yield return storageProblem;
    }
}
