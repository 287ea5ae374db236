namespace JobServer.Storage;

/// <summary>The read seam shared by the HTTP API and the dashboard. Never scans job history: counts come from
/// maintained counters and the small queue tables, lists from indexes.</summary>
public interface IJobReader
{
    JobDetails? GetJob(long id);

    JobPage ListJobs(JobQuery query);

    IReadOnlyList<ServerInfo> GetServers();

    StatsSnapshot GetStats();

    /// <summary>True when the database answers a trivial query.</summary>
    bool Ping();
}
