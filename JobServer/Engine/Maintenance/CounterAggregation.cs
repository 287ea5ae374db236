using JobServer.Storage;
using Microsoft.Extensions.Options;

namespace JobServer.Engine.Maintenance;

/// <summary>Folds the per-transition counter deltas into the counters, keeping the delta table (and stats reads) small.</summary>
internal sealed class CounterAggregation(IMaintenanceStore store, IOptions<JobServerOptions> options) : IBackgroundProcess
{
    public string Name => "Counter aggregation";

    public TimeSpan Interval => options.Value.CounterAggregationInterval;

    public int BatchSize => 5000;

    public Task<int> RunOnceAsync(CancellationToken cancellationToken) =>
        Task.FromResult(store.AggregateCounters(BatchSize));
}
