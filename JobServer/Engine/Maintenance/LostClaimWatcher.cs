using JobServer.Engine.Processing;
using JobServer.Storage;
using Microsoft.Extensions.Options;

namespace JobServer.Engine.Maintenance;

/// <summary>Cancels running jobs this server no longer owns: deleted from another process, or recovered by another
/// server after this one missed its heartbeats. Without it such a job would run on to no purpose.</summary>
internal sealed class LostClaimWatcher(
    IJobQueue queue,
    RunningJobs running,
    ServerIdentity server,
    IOptions<JobServerOptions> options) : IBackgroundProcess
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

        return Task.FromResult(lost.Count);
    }
}
