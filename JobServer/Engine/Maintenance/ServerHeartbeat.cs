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

    public void Announce()
    {
        var now = time.GetUtcNow().UtcDateTime;
        servers.Announce(new ServerInfo(server.Id, dispatcher.Queues.Select(q => q.Queue).ToList(), dispatcher.Workers, dispatcher.Busy, server.StartedAt, now));
    }

    public Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        if (!servers.Heartbeat(server.Id, dispatcher.Busy, time.GetUtcNow().UtcDateTime))
        {
            LogReannouncing(logger, server.Id);
            Announce();
        }

        return Task.FromResult(1);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Server {ServerId} had been declared dead (heartbeat missed); registering again")]
    private static partial void LogReannouncing(ILogger logger, string serverId);
}
