namespace JobServer.Engine.Client;

/// <summary>A job to create, as the API receives it: a registered type, its arguments as JSON, optional queue and time.</summary>
/// <param name="Type">The registered job type name.</param>
/// <param name="ArgsJson">The arguments as a JSON object; null means none.</param>
/// <param name="Queue">The queue; null means the type's default queue.</param>
/// <param name="RunAt">When to run; null or a past time means now.</param>
/// <param name="After">Run only after this job ends (a continuation); null means no parent.</param>
/// <param name="AfterAnyFinalState">With <paramref name="After"/>: run after the parent fails for good or is deleted
/// too, not only after it succeeds.</param>
public sealed record JobRequest(
    string Type,
    string? ArgsJson = null,
    string? Queue = null,
    DateTimeOffset? RunAt = null,
    long? After = null,
    bool AfterAnyFinalState = false);

