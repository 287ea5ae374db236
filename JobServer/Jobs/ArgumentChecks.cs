namespace JobServer.Jobs;

/// <summary>The checks the argument classes share, with messages that speak JSON ("must be between 1 and 10000000").</summary>
internal static class ArgumentChecks
{
    public static void Range(List<ArgumentError> errors, string field, long value, long min, long max)
    {
        if (value < min || value > max)
        {
            errors.Add(new ArgumentError(field, $"must be between {min} and {max}"));
        }
    }

    public static void Text(List<ArgumentError> errors, string field, string? value, int maxLength)
    {
        if (string.IsNullOrEmpty(value))
        {
            errors.Add(new ArgumentError(field, "is required"));
        }
        else if (value.Length > maxLength)
        {
            errors.Add(new ArgumentError(field, $"must be 1-{maxLength} characters"));
        }
    }
}
