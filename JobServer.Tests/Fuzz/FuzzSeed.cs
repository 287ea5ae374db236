using System.Globalization;

namespace JobServer.Tests.Fuzz;

/// <summary>
/// The run's seed: <c>JOBSERVER_FUZZ_SEED</c> when set (to replay a failure), otherwise a new one per run, so each run
/// tries inputs the last one did not. Every failure message carries it.
/// </summary>
internal static class FuzzSeed
{
    public const string EnvironmentVariable = "JOBSERVER_FUZZ_SEED";

    public static readonly int Value = Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } text
        ? int.Parse(text, CultureInfo.InvariantCulture)
        : Random.Shared.Next();

    public static string Replay => $"seed {Value} (replay: {EnvironmentVariable}={Value} ./scripts/test.sh --filter \"FullyQualifiedName~Fuzz\")";

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
