namespace JobServer.Tests.Reliability;

/// <summary>
/// How big the reliability tests run. The normal suite runs them <see cref="Quick"/> (well under a minute together);
/// scripts/reliability.sh sets <c>JOBSERVER_RELIABILITY=full</c> and runs the same tests longer and wider.
/// </summary>
public sealed record ReliabilityScale(
    string Name,
    int KillJobs,
    int KillSleepMs,
    int KillServers,
    TimeSpan Outage,
    int OutageClients,
    int LoadClients,
    int JobsPerLoadClient)
{
    /// <summary>The trait every reliability test carries: <c>--filter Category=Reliability</c> selects them.</summary>
    public const string Category = "Reliability";

    public const string EnvironmentVariable = "JOBSERVER_RELIABILITY";

    public static readonly ReliabilityScale Quick = new("quick",
        KillJobs: 2_000, KillSleepMs: 20, KillServers: 3,
        Outage: TimeSpan.FromSeconds(3), OutageClients: 4,
        LoadClients: 20, JobsPerLoadClient: 50);

    public static readonly ReliabilityScale Full = new("full",
        KillJobs: 2_000, KillSleepMs: 100, KillServers: 3,
        Outage: TimeSpan.FromSeconds(10), OutageClients: 8,
        LoadClients: 20, JobsPerLoadClient: 1_000);

    public static ReliabilityScale Current { get; } = Environment.GetEnvironmentVariable(EnvironmentVariable)?.ToLowerInvariant() switch
    {
        null or "" or "quick" => Quick,
        "full" => Full,
        var other => throw new InvalidOperationException($"{EnvironmentVariable}={other}: expected 'quick' or 'full'."),
    };
}
