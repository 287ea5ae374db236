using System.Globalization;

namespace JobServer.Jobs;

/// <summary>Arguments of <see cref="SleepJob"/>.</summary>
public sealed class SleepArguments : IJobArguments
{
    public const int MaxMs = 3_600_000;

    /// <summary>How long to sleep, 0 to 3,600,000 ms (one hour). Default 0.</summary>
    public int Ms { get; init; }

    public IReadOnlyList<ArgumentError> Validate()
    {
        var errors = new List<ArgumentError>();
        ArgumentChecks.Range(errors, "ms", Ms, 0, MaxMs);
        return errors;
    }

    /// <summary>Shown by <c>[DisplayName]</c> in the dashboard.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Ms} ms");
}
