using JobServer.Storage;
using Microsoft.Extensions.Options;

namespace JobServer.Engine.Maintenance;

/// <summary>Removes Succeeded and Deleted jobs whose retention ended, a batch at a time. Failed jobs stay until acted on.</summary>
internal sealed class JobExpiration(IMaintenanceStore store, IOptions<JobServerOptions> options, TimeProvider time) : IBackgroundProcess
{
    public string Name => "Job expiration";

    public TimeSpan Interval => options.Value.ExpirationInterval;

    public int BatchSize => 1000;

    public Task<int> RunOnceAsync(CancellationToken cancellationToken) =>
        Task.FromResult(store.ExpireJobs(time.GetUtcNow().UtcDateTime, BatchSize));
}
