namespace JobServer.Tests.Reliability;

/// <summary>
/// What became of one job, from <c>js_job</c> and its history. The jobs ran in other processes, so no in-memory log
/// can count their executions: every claim writes a Processing history row, every success one Succeeded row.
/// </summary>
internal sealed record JobRecord
{
    public long Id { get; init; }

    public string State { get; init; } = "";

    public int Attempts { get; init; }

    /// <summary>Processing rows: how often a server claimed the job.</summary>
    public long Claims { get; init; }

    /// <summary>Claims its server gave back without starting the job: their commit had not been confirmed to it.</summary>
    public long ClaimsNeverStarted { get; init; }

    /// <summary>How often the job was started: claims less those never started.</summary>
    public long Runs => Claims - ClaimsNeverStarted;

    /// <summary>Succeeded rows: how often an outcome "succeeded" was recorded.</summary>
    public long Successes { get; init; }

    /// <summary>The reason of a dead-server requeue, naming the dead server; null if there was none.</summary>
    public string? Requeue { get; init; }

    /// <summary>The server whose claim the job's queue row names; null when unclaimed or not queued.</summary>
    public string? ClaimedBy { get; init; }
}
