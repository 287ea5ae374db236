namespace JobServer.Tests.Reliability;

/// <summary>
/// How big the reliability tests run. The normal suite runs them <see cref="Quick"/>; scripts/reliability.sh sets
/// <c>JOBSERVER_RELIABILITY=full</c> and runs the same tests at the sizes the reliability issue names.
/// </summary>
public sealed record ReliabilityScale(
    string Name,
    int BulkRows,
    int BulkChunkSize,
    int SleepJobs,
    int SleepMs,
    TimeSpan Outage,
    int OutageClients,
    int LoadClients,
    int JobsPerLoadClient)
{
    /// <summary>The trait every reliability test carries: <c>--filter Category=Reliability</c> selects them.</summary>
    public const string Category = "Reliability";

    public const string EnvironmentVariable = "JOBSERVER_RELIABILITY";

    public static readonly ReliabilityScale Quick = new("quick",
        BulkRows: 400_000, BulkChunkSize: 20_000,
        SleepJobs: 2_000, SleepMs: 10,
        Outage: TimeSpan.FromSeconds(4), OutageClients: 4,
        LoadClients: 20, JobsPerLoadClient: 100);

    public static readonly ReliabilityScale Full = new("full",
        BulkRows: 1_000_000, BulkChunkSize: 50_000,
        SleepJobs: 2_000, SleepMs: 100,
        Outage: TimeSpan.FromSeconds(10), OutageClients: 4,
        LoadClients: 20, JobsPerLoadClient: 1_000);

    public static ReliabilityScale Current { get; } = Environment.GetEnvironmentVariable(EnvironmentVariable)?.ToLowerInvariant() switch
    {
        null or "" or "quick" => Quick,
        "full" => Full,
        var other => throw new InvalidOperationException($"{EnvironmentVariable}={other}: expected 'quick' or 'full'."),
    };
}
