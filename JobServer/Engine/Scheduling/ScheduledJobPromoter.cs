using JobServer.Engine.Processing;
using JobServer.Storage;
using Microsoft.Extensions.Options;

namespace JobServer.Engine.Scheduling;

/// <summary>Moves delayed jobs and retries onto their queues when their time comes, in batches, from any server.</summary>
internal sealed class ScheduledJobPromoter(
    IScheduleStore schedule,
    EngineSignals signals,
    ServerIdentity server,
    IOptions<JobServerOptions> options,
    TimeProvider time) : IBackgroundProcess
{
    public string Name => "Scheduled job promoter";

    public TimeSpan Interval => options.Value.SchedulePollInterval;

    public int BatchSize => 1000;

    public Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var promoted = schedule.PromoteDue(time.GetUtcNow().UtcDateTime, BatchSize, server.Id);
        if (promoted.Count > 0)
        {
            signals.WorkAvailable.Set();
        }

        return Task.FromResult(promoted.Count);
    }
}
