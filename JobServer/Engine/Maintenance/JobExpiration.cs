using JobServer.Storage;
using Microsoft.Extensions.Options;

namespace JobServer.Engine.Maintenance;

/// <summary>Removes Succeeded and Deleted jobs whose retention ended, a batch at a time. Failed jobs stay until acted on.</summary>
internal sealed class JobExpiration(IMaintenanceStore store, IOptions<JobServerOptions> options, TimeProvider time) : IBackgroundProcess
{
    public string Name => "Job expiration";

    public TimeSpan Interval => options.Value.ExpirationInterval;

    public int BatchSize => 1000;

    public Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var expired = store.ExpireJobs(now, BatchSize);

        // The record of fired occurrences only guards against firing one twice; a day-old record guards nothing.
        var runs = store.ExpireRecurringRuns(now - options.Value.SucceededRetention, BatchSize);
        // The dashboard's history graph reaches back 7 days; one more day covers the partial first one.
        store.ExpireHourlyCounters(now - TimeSpan.FromDays(8));
        return Task.FromResult(Math.Max(expired, runs));
    }
}
