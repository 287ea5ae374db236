namespace JobServer.Tests.SoakChild;

/// <summary>What one soak job does: run for <see cref="Ms"/> milliseconds, and throw on its first
/// <see cref="FailAttempts"/> attempts (Hangfire retries it; more failures than retries leave it Failed).</summary>
public sealed class SoakStep
{
    public int Ms { get; init; }

    public int FailAttempts { get; init; }

    /// <summary>A label for the figures: "work", "long", "hold", "scheduled", "parent", "child".</summary>
    public string Kind { get; init; } = "work";
}
