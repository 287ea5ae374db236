namespace JobServer.Engine;

/// <summary>A job request was refused before anything was written; <see cref="Field"/> names the field at fault.</summary>
public sealed class JobValidationException(string field, string message) : Exception($"{field}: {message}")
{
    public string Field { get; } = field;

    public string Reason { get; } = message;
}
