using JobServer.Engine.States;

namespace JobServer.Storage;

/// <summary>The read seam shared by the HTTP API and the dashboard. Never scans job history: counts come from
/// maintained counters and the small queue tables, lists from indexes.</summary>
public interface IJobReader
{
    JobDetails? GetJob(long id);

    JobPage ListJobs(JobQuery query);

    /// <summary>Jobs in <paramref name="state"/> with ids below <paramref name="beforeId"/>, newest first: keyset paging
    /// on the state index, as fast on page 10,000 as on page 1.</summary>
    KeysetPage ListJobsBefore(JobState state, string? queue, string? type, long? beforeId, int pageSize);

    /// <summary>Succeeded and failed per hour, for <paramref name="hours"/> hours from <paramref name="fromHour"/> (zero-filled).</summary>
    IReadOnlyList<HourlyCount> GetHourlyCounts(DateTime fromHour, int hours);

    /// <summary>Every queue with jobs, its counts and the age of its oldest waiting job.</summary>
    IReadOnlyList<QueueInfo> GetQueues();

    IReadOnlyList<ServerInfo> GetServers();

    StatsSnapshot GetStats();

    /// <summary>True when the database answers a trivial query.</summary>
    bool Ping();
}
