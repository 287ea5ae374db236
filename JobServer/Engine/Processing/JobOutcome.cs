namespace JobServer.Engine.Processing;

/// <summary>How one attempt ended, before it is recorded.</summary>
internal abstract record JobOutcome
{
    public sealed record Succeeded(string? ResultJson) : JobOutcome;

    /// <summary>The attempt threw (or timed out). <see cref="Permanent"/> failures are not retried: retrying cannot help.</summary>
    public sealed record Failed(Exception Exception, bool Permanent) : JobOutcome;

    /// <summary>Interrupted by shutdown: back to the queue.</summary>
    public sealed record Released : JobOutcome;

    /// <summary>Deleted, or the claim was lost: someone else owns what happens next, so nothing is written.</summary>
    public sealed record Abandoned(CancelReason Reason) : JobOutcome;
}
