namespace JobServer.Engine.States;

/// <summary>
/// Exponential backoff with jitter: retry n waits about <c>baseDelay · 2^(n-1)</c>, capped at <c>maxDelay</c>,
/// spread by ±20 % so jobs that failed together (a database blip) do not all come back in the same second.
/// </summary>
public sealed class RetryPolicy(int maxAttempts, TimeSpan baseDelay, TimeSpan maxDelay)
{
    private const double JitterFraction = 0.2;

    public int MaxAttempts { get; } = Math.Max(1, maxAttempts);

    /// <summary>True when the job may run again after failing attempt <paramref name="attempt"/> (1-based).</summary>
    public bool ShouldRetry(int attempt) => attempt < MaxAttempts;

    /// <summary>The wait before the run that follows failed attempt <paramref name="attempt"/>.</summary>
    /// <param name="attempt">The attempt that failed, 1-based.</param>
    /// <param name="unitRandom">A value in [0, 1); injected so the jitter is testable.</param>
    public TimeSpan DelayAfter(int attempt, double unitRandom)
    {
        var exponent = Math.Min(Math.Max(attempt - 1, 0), 30);
        var raw = Math.Min(baseDelay.TotalMilliseconds * Math.Pow(2, exponent), maxDelay.TotalMilliseconds);
        var jitter = 1 + JitterFraction * (2 * unitRandom - 1);
        return TimeSpan.FromMilliseconds(Math.Min(raw * jitter, maxDelay.TotalMilliseconds));
    }
}
