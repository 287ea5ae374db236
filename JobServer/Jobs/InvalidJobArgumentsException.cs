namespace JobServer.Jobs;

/// <summary>
/// The arguments a job was created with break its rules. The HTTP layer validates before it creates a job, so this
/// is for jobs created in code (a recurring definition, a continuation): they fail at once with every field named,
/// instead of half-way through their work.
/// </summary>
public sealed class InvalidJobArgumentsException(IReadOnlyList<ArgumentError> errors)
    : ArgumentException("Invalid job arguments: " + string.Join("; ", errors.Select(e => $"{e.Field} {e.Message}")))
{
    public IReadOnlyList<ArgumentError> Errors { get; } = errors;

    public static void ThrowIfInvalid(IJobArguments args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var errors = args.Validate();
        if (errors.Count > 0)
        {
            throw new InvalidJobArgumentsException(errors);
        }
    }
}
