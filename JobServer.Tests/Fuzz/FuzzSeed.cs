using System.Globalization;

namespace JobServer.Tests.Fuzz;

/// <summary>
/// The run's seed and size. <c>JOBSERVER_FUZZ_SEED</c> replays a failure; unset, each run draws a new seed, so each run
/// tries inputs the last one did not. <c>JOBSERVER_FUZZ_SCALE</c> multiplies every test's case count (default 1, the
/// fast run; 20 is a long one). Every failure message carries both.
/// </summary>
internal static class FuzzSeed
{
    public const string EnvironmentVariable = "JOBSERVER_FUZZ_SEED";

    public const string ScaleVariable = "JOBSERVER_FUZZ_SCALE";

    public static readonly int Value = Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } text
        ? int.Parse(text, CultureInfo.InvariantCulture)
        : Random.Shared.Next();

    public static readonly double Scale = Environment.GetEnvironmentVariable(ScaleVariable) is { Length: > 0 } scale
        ? double.Parse(scale, CultureInfo.InvariantCulture)
        : 1;

    public static string Replay =>
        $"seed {Value}, scale {Scale.ToString(CultureInfo.InvariantCulture)} (replay: {EnvironmentVariable}={Value} {ScaleVariable}={Scale.ToString(CultureInfo.InvariantCulture)} "
        + "dotnet test JobServer.Tests -c Release --filter \"FullyQualifiedName~JobServer.Tests.Fuzz\")";

    /// <summary>A test's case count at this run's scale (at least one).</summary>
    public static int Cases(int atDefaultScale) => Math.Max(1, (int)Math.Round(atDefaultScale * Scale));

    /// <summary>One generator per test, from the run's seed and the test's name, so a test replays the same inputs alone
    /// or among others. The name is hashed by hand: string.GetHashCode differs from process to process.</summary>
    public static Random For(string test)
    {
        var hash = 17;
        foreach (var c in test)
        {
            hash = unchecked((hash * 31) + c);
        }

        return new Random(unchecked(Value ^ hash));
    }
}
