using JobServer.Storage;

namespace JobServer.Dashboard;

/// <summary>
/// <c>GET {dashboard}/api/stats</c>: jobs per state now (keys are state names), the all-time outcome totals that only
/// grow (the browser derives per-second rates from two polls), and per-queue counts, as of <see cref="At"/>.
/// </summary>
internal sealed record DashboardStatsResponse(
    DateTime At,
    IReadOnlyDictionary<string, long> States,
    IReadOnlyDictionary<string, long> Totals,
    IReadOnlyDictionary<string, DashboardQueueCounts> Queues)
{
    public static DashboardStatsResponse From(StatsSnapshot stats, DateTime now) => new(
        now,
        stats.States.ToDictionary(s => s.Key.ToString(), s => s.Value),
        stats.Totals.ToDictionary(s => s.Key.ToString(), s => s.Value),
        stats.Queues.ToDictionary(q => q.Key, q => new DashboardQueueCounts(q.Value.Enqueued, q.Value.Processing, q.Value.Scheduled, q.Value.Awaiting)));
}

internal sealed record DashboardQueueCounts(long Enqueued, long Processing, long Scheduled, long Awaiting);

/// <summary><c>GET {dashboard}/api/history</c>: succeeded and failed per UTC hour, oldest first, the current hour last.</summary>
internal sealed record DashboardHistoryResponse(DateTime At, IReadOnlyList<DashboardHourResponse> Hours);

internal sealed record DashboardHourResponse(DateTime Hour, long Succeeded, long Failed);
