using System.Diagnostics;
using JobServer.Tests.Infrastructure;

namespace JobServer.Tests.Reliability;

/// <summary>A SIGKILL the soak dealt: which process (all of its Hangfire server ids), when it was gone, and when its
/// replacement's servers had registered.</summary>
internal sealed record SoakKill(string Name, IReadOnlyList<string> ServerIds, DateTime KilledAt, DateTime ReplacementReadyAt);

/// <summary>The MariaDB restart: stopped at <see cref="DownAt"/>, answering again at <see cref="UpAt"/>.</summary>
internal sealed record SoakRestart(DateTime DownAt, DateTime UpAt);

/// <summary>
/// The soak's fault driver: after a random pause (<see cref="SoakScale.KillAfterMin"/>–<see cref="SoakScale.KillAfterMax"/>)
/// it SIGKILLs a random JobServer process and starts it again under the same name, once restarting MariaDB instead
/// (the first fault after <see cref="SoakScale.RestartDatabaseAfter"/>), until the run's time is up and at least
/// <see cref="SoakScale.MinKills"/> kills and the restart are done. One fault at a time.
/// </summary>
internal sealed class SoakFaults(SoakScale scale, SoakMariaDb mariaDb, List<ChildServer> servers, Func<string, ChildServer> start)
{
    private readonly Random _random = new();

    public List<SoakKill> Kills { get; } = [];

    public SoakRestart? Restart { get; private set; }

    /// <summary>Innodb_deadlocks read just before the restart (the counter starts again at 0 with the server).</summary>
    public long DeadlocksBeforeRestart { get; private set; }

    public async Task RunAsync(Func<long> deadlocks)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var pause = TimeSpan.FromMilliseconds(_random.Next((int)scale.KillAfterMin.TotalMilliseconds, (int)scale.KillAfterMax.TotalMilliseconds));
            // The last fault leaves time to see recovery before the workload stops; the minimum always happens.
            var minimumDone = Kills.Count >= scale.MinKills && Restart is not null;
            if (minimumDone && clock.Elapsed + pause > scale.Duration - TimeSpan.FromSeconds(5)) return;
            await Task.Delay(pause);
            if (Restart is null && (clock.Elapsed >= scale.RestartDatabaseAfter || Kills.Count >= scale.MinKills))
            {
                DeadlocksBeforeRestart = deadlocks();
                var down = DateTime.UtcNow;
                await Task.Run(mariaDb.Stop);
                await Task.Run(mariaDb.Start);
                Restart = new SoakRestart(down, DateTime.UtcNow);
                continue;
            }

            var index = _random.Next(servers.Count);
            var doomed = servers[index];
            doomed.KillHard();
            var killedAt = DateTime.UtcNow;
            var replacement = start(doomed.Name);
            servers[index] = replacement;
            await replacement.WaitUntilReadyAsync();
            Kills.Add(new SoakKill(doomed.Name, doomed.ServerIds, killedAt, DateTime.UtcNow));
            doomed.Dispose();
        }
    }

    /// <summary>When the process owning <paramref name="serverId"/> was killed; null for a server never killed.</summary>
    public DateTime? KilledAt(string serverId) => Kills.FirstOrDefault(k => k.ServerIds.Contains(serverId))?.KilledAt;
}
