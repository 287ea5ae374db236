using JobServer.Engine.Processing;
using JobServer.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JobServer.Engine.Maintenance;

/// <summary>
/// Keeps this server's idea of its claims and the database's in step, both ways:
/// <list type="bullet">
/// <item>cancels running jobs this server no longer owns — deleted from another process, or recovered by another
/// server after this one missed its heartbeats. Without it such a job would run on to no purpose;</item>
/// <item>gives back claims the database holds for this server that it never knew of — a claim whose COMMIT went
/// through while the connection died with the answer (MariaDB shutting down, a network cut). This server is alive,
/// so no dead-server recovery would ever free them: without it their jobs would stay Processing for good.</item>
/// </list>
/// </summary>
internal sealed partial class LostClaimWatcher(
    IJobQueue queue,
    RunningJobs running,
    JobDispatcher dispatcher,
    EngineSignals signals,
    ServerIdentity server,
    IOptions<JobServerOptions> options,
    TimeProvider time,
    ILogger<LostClaimWatcher> logger) : IBackgroundProcess
{
    public string Name => "Lost claim watcher";

    public TimeSpan Interval => options.Value.CancellationCheckInterval;

    public int BatchSize => int.MaxValue;

    public Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var lost = queue.FindLostClaims(server.Id, running.Ids);
        foreach (var id in lost)
        {
            running.Cancel(id, CancelReason.ClaimLost);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var unknown = dispatcher.WhileNoClaimIsUnderWay(executing => queue.ReleaseUnknownClaims(
            server.Id, executing, $"Requeued: claimed by server {server.Id}, which never started it (the claim's commit was not confirmed)", now));
        if (unknown.Count > 0)
        {
            LogUnknownClaimsReleased(logger, unknown.Count, string.Join(", ", unknown), server.Id);
            signals.WorkAvailable.Set();
        }

        return Task.FromResult(lost.Count + unknown.Count);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Requeued {Count} job(s) ({JobIds}) claimed by {ServerId} without its knowledge (a claim's commit was not confirmed)")]
    private static partial void LogUnknownClaimsReleased(ILogger logger, int count, string jobIds, string serverId);
}
