using System.Collections.Concurrent;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Hangfire.Storage.Monitoring;

namespace JobServer.Tests.Reliability;

/// <summary>Reads <see cref="JobOutcome"/>s through the storage's monitoring API (the dashboard's job page), and the
/// counts the tests wait on.</summary>
internal static class JobOutcomes
{
    public static IReadOnlyDictionary<string, JobOutcome> Read(JobStorage storage, IEnumerable<string> ids)
    {
        var outcomes = new ConcurrentDictionary<string, JobOutcome>();
        var monitoring = storage.GetMonitoringApi();
        Parallel.ForEach(ids, new ParallelOptions { MaxDegreeOfParallelism = 4 }, id =>
        {
            var details = monitoring.JobDetails(id);
            if (details is not null) outcomes[id] = FromHistory(id, details.History);
        });
        return outcomes;
    }

    /// <summary>Jobs in state Succeeded now (exact up to the storage's dashboard list limit, 10,000).</summary>
    public static long Succeeded(JobStorage storage) => storage.GetMonitoringApi().SucceededListCount();

    /// <summary>Jobs that may still run: in state Enqueued, Scheduled or Processing (each counted exactly).</summary>
    public static long Unfinished(JobStorage storage)
    {
        var stats = storage.GetMonitoringApi().GetStatistics();
        return stats.Enqueued + stats.Scheduled + stats.Processing;
    }

    /// <summary>Job ids that are Processing on a server <paramref name="owns"/> names, right now.</summary>
    public static HashSet<string> ProcessingOn(JobStorage storage, Func<string?, bool> owns)
    {
        var monitoring = storage.GetMonitoringApi();
        var count = (int)monitoring.ProcessingCount();
        return monitoring.ProcessingJobs(0, Math.Max(count, 1) * 2).Where(j => owns(j.Value.ServerId)).Select(j => j.Key).ToHashSet();
    }

    private static JobOutcome FromHistory(string id, IList<StateHistoryDto> newestFirst)
    {
        var history = newestFirst.Reverse().ToList();
        var runs = new List<JobRun>();
        for (var i = 0; i < history.Count; i++)
        {
            var state = history[i];
            if (state.StateName != ProcessingState.StateName) continue;
            var next = i + 1 < history.Count ? history[i + 1] : null;
            // Hangfire's worker retries a state change that threw — e.g. a COMMIT whose answer the outage swallowed —
            // with the same ProcessingState object, so the same server and StartedAt appear twice for one run.
            if (next is not null && next.StateName == ProcessingState.StateName && SameRun(state, next)) continue;
            DateTime? end = next is null || next.StateName == ProcessingState.StateName ? null : Utc(next.CreatedAt);
            var start = state.Data.TryGetValue("StartedAt", out var startedAt) && JobHelper.DeserializeNullableDateTime(startedAt) is { } at ? at : Utc(state.CreatedAt);
            runs.Add(new JobRun(id, runs.Count + 1, state.Data["ServerId"], start, end));
        }

        return new JobOutcome(id, history.LastOrDefault()?.StateName, history.Count(s => s.StateName == SucceededState.StateName), runs);
    }

    private static bool SameRun(StateHistoryDto first, StateHistoryDto second) =>
        first.Data.TryGetValue("ServerId", out var server) && second.Data.TryGetValue("ServerId", out var nextServer) && server == nextServer
        && first.Data.TryGetValue("StartedAt", out var started) && second.Data.TryGetValue("StartedAt", out var nextStarted) && started == nextStarted;

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);
}
