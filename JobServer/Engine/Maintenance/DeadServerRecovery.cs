using JobServer.Engine.Processing;
using JobServer.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JobServer.Engine.Maintenance;

/// <summary>Any survivor puts the jobs of servers that stopped heartbeating back on their queues.</summary>
internal sealed partial class DeadServerRecovery(
    IServerStore servers,
    ServerHeartbeat heartbeat,
    EngineSignals signals,
    ServerIdentity server,
    IOptions<JobServerOptions> options,
    TimeProvider time,
    ILogger<DeadServerRecovery> logger) : IBackgroundProcess
{
    public string Name => "Dead server recovery";

    public TimeSpan Interval => options.Value.HeartbeatInterval;

    public int BatchSize => int.MaxValue;

    public Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (heartbeat.HealthySince is not { } healthySince || now - healthySince < options.Value.ServerTimeout)
        {
            return Task.FromResult(0);
        }

        var result = servers.RecoverDead(now - options.Value.ServerTimeout, now, server.Id);
        if (result.DeadServers.Count > 0)
        {
            LogRecovered(logger, string.Join(", ", result.DeadServers), result.RequeuedJobs);
            if (result.RequeuedJobs > 0)
            {
                signals.WorkAvailable.Set();
            }
        }

        return Task.FromResult(result.RequeuedJobs);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Servers stopped heartbeating: {Servers}; requeued {Jobs} of their jobs")]
    private static partial void LogRecovered(ILogger logger, string servers, int jobs);
}
