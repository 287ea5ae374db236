namespace JobServer.Jobs;

/// <summary>How the engine runs one job type.</summary>
public sealed class JobTypeOptions
{
    /// <summary>Queue used when the caller names none. Default "default".</summary>
    public string Queue { get; set; } = "default";

    /// <summary>Runs in total, the first included, before the job is Failed for good. Default 5; 1 disables retries.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Delay before the first retry; each further retry doubles it. Default 10 s.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Upper bound of the retry delay. Default 1 h.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>An attempt running longer is cancelled and counts as failed. Default none.</summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>The type's concurrency limit by key, if any. Default none.</summary>
    public ConcurrencyLimit? Concurrency { get; private set; }

    /// <summary>Allows at most <paramref name="limit"/> jobs with the same key in flight; see <see cref="ConcurrencyLimit"/>.</summary>
    /// <param name="keyOf">The key, from the job's arguments (e.g. its project).</param>
    public JobTypeOptions LimitConcurrency<TArgs>(Func<TArgs, string> keyOf, int limit = 1, OverLimit overLimit = OverLimit.Reject)
        where TArgs : class
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        Concurrency = new ConcurrencyLimit(typeof(TArgs), args => keyOf((TArgs)args), limit, overLimit);
        return this;
    }
}
