namespace JobServer.Jobs;

/// <summary>The arguments of a shipped Hangfire job. Validation is a method rather than attributes so that the HTTP
/// layer, the registry and the job itself apply the same rules and every error names its field.</summary>
public interface IJobArguments
{
    /// <summary>Every invalid field (empty when the arguments can run). Pure: no I/O, safe on any thread.</summary>
    IReadOnlyList<ArgumentError> Validate();
}
