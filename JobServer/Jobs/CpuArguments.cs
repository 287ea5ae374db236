using System.Globalization;

namespace JobServer.Jobs;

/// <summary>Arguments of <see cref="CpuJob"/>.</summary>
public sealed class CpuArguments : IJobArguments
{
    public const int MaxN = 50_000_000;

    /// <summary>Count the primes below this number, 2 to 50,000,000 (50M takes about 0.15 s of one core here).</summary>
    public int N { get; init; }

    public IReadOnlyList<ArgumentError> Validate()
    {
        var errors = new List<ArgumentError>();
        ArgumentChecks.Range(errors, "n", N, 2, MaxN);
        return errors;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{N}");
}
