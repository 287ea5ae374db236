using JobServer.Engine.Processing;
using JobServer.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JobServer.Engine.Maintenance;

/// <summary>Proves this server alive. If it was declared dead meanwhile (a long pause), it registers again; the
/// claims it lost are noticed by <see cref="LostClaimWatcher"/>.</summary>
internal sealed partial class ServerHeartbeat(
    IServerStore servers,
    JobDispatcher dispatcher,
    ServerIdentity server,
    IOptions<JobServerOptions> options,
    TimeProvider time,
    ILogger<ServerHeartbeat> logger) : IBackgroundProcess
{
    public string Name => "Heartbeat";

    public TimeSpan Interval => options.Value.HeartbeatInterval;

    public int BatchSize => int.MaxValue;

    private long _healthySinceTicks; // 0 = not healthy; a long so other threads read it atomically

    /// <summary>
    /// Since when this server's heartbeats have succeeded without a break; null right after a failed one. After a
    /// database outage every server's heartbeat is stale at once, so recovery waits until the others had a full
    /// <see cref="JobServerOptions.ServerTimeout"/> to beat again — otherwise the first server back would declare
    /// all its live peers dead and run their jobs twice.
    /// </summary>
    public DateTime? HealthySince =>
        Interlocked.Read(ref _healthySinceTicks) is var ticks and > 0 ? new DateTime(ticks, DateTimeKind.Utc) : null;

    public void Announce()
    {
        var now = time.GetUtcNow().UtcDateTime;
        servers.Announce(new ServerInfo(server.Id, dispatcher.Queues.Select(q => q.Queue).ToList(), dispatcher.Workers, dispatcher.Busy, server.StartedAt, now));
        Interlocked.CompareExchange(ref _healthySinceTicks, now.Ticks, 0);
    }

    public Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            var now = time.GetUtcNow().UtcDateTime;
            if (!servers.Heartbeat(server.Id, dispatcher.Busy, now))
            {
                LogReannouncing(logger, server.Id);
                Announce();
            }

            Interlocked.CompareExchange(ref _healthySinceTicks, now.Ticks, 0);
            return Task.FromResult(1);
        }
        catch
        {
            Interlocked.Exchange(ref _healthySinceTicks, 0);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Server {ServerId} had been declared dead (heartbeat missed); registering again")]
    private static partial void LogReannouncing(ILogger logger, string serverId);
}
