namespace JobServer.Jobs;

/// <summary>Arguments of <see cref="FailJob"/>.</summary>
public sealed class FailArguments : IJobArguments
{
    public const int MaxMessageLength = 500;

    /// <summary>The exception message, 1 to 500 characters. Default "Simulated failure".</summary>
    public string Message { get; init; } = "Simulated failure";

    /// <summary>From this time on the job succeeds instead, so requeueing it from the dashboard shows a recovery.
    /// Default: never.</summary>
    public DateTimeOffset? SucceedAfter { get; init; }

    public IReadOnlyList<ArgumentError> Validate()
    {
        var errors = new List<ArgumentError>();
        ArgumentChecks.Text(errors, "message", Message, MaxMessageLength);
        return errors;
    }

    public override string ToString() => Message;
}
