namespace JobServer.Storage;

public interface IMaintenanceStore
{
    /// <summary>Deletes up to <paramref name="max"/> Succeeded or Deleted jobs (with their history) whose retention ended.</summary>
    int ExpireJobs(DateTime now, int max);

    /// <summary>Deletes up to <paramref name="max"/> records of recurring occurrences fired before <paramref name="before"/>.</summary>
    int ExpireRecurringRuns(DateTime before, int max);

    /// <summary>Deletes the per-hour outcome counters of hours before <paramref name="before"/>.</summary>
    int ExpireHourlyCounters(DateTime before);

    /// <summary>Folds up to <paramref name="max"/> counter deltas into the counters; returns how many it folded.</summary>
    int AggregateCounters(int max);
}
