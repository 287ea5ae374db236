namespace JobServer.Storage.MySql;

/// <summary>
/// Options of <see cref="MySqlStorage"/>. Every default is documented on its property and chosen for a storage that
/// starts jobs within milliseconds and never runs a job twice while it still runs; <see cref="Validate"/> runs when the
/// storage is created and names the option at fault.
/// </summary>
public sealed class MySqlStorageOptions
{
    /// <summary>Creates and upgrades the hf_* tables at start, under a named lock. Default <c>true</c>.</summary>
    public bool PrepareSchemaIfNecessary { get; set; } = true;

    /// <summary>
    /// The longest pause between two fetch attempts of an idle fetcher: jobs enqueued by another process are seen
    /// at most this late. The pause starts at <see cref="MinQueuePollInterval"/> after a fetch that found work and
    /// doubles up to this. Jobs enqueued in this process wake the fetcher at once. Default 150 ms, so that an idle server starts another process's job within ~75 ms at the median.
    /// </summary>
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromMilliseconds(150);

    /// <summary>The first pause of the adaptive polling after a fetch that found work. Default 10 ms.</summary>
    public TimeSpan MinQueuePollInterval { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// How long a fetched job stays invisible to other servers without its owner's keep-alive. The owner refreshes all
    /// of its fetched jobs every <see cref="KeepAliveInterval"/>, so a job that runs for hours is never handed out
    /// twice; a job whose process died is given back this long after its last keep-alive (at once when Hangfire's
    /// watchdog removes the dead server and the keep-alive is this old). Default 1 minute.
    /// </summary>
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How often each process refreshes its fetched jobs: one UPDATE for all of them, not one per job. Must be at most
    /// a third of <see cref="InvisibilityTimeout"/>. Default 15 seconds.
    /// </summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The most jobs one fetch claims for the workers waiting on it. Default 100.</summary>
    public int MaxFetchBatchSize { get; set; } = 100;

    /// <summary>How often expired jobs, sets, hashes, lists and counters are deleted. Default 5 minutes.</summary>
    public TimeSpan JobExpirationCheckInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Rows deleted per statement by expiration, so no delete holds locks for long. Default 1,000.</summary>
    public int DeleteExpiredBatchSize { get; set; } = 1000;

    /// <summary>How often the append-only counter rows are folded into aggregated counters. Default 1 minute.</summary>
    public TimeSpan CountersAggregateInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Counter rows folded per aggregation transaction. Default 10,000.</summary>
    public int CountersAggregateBatchSize { get; set; } = 10_000;

    /// <summary>
    /// The dashboard's succeeded, deleted and failed lists, and the Failed figure it polls every two seconds, count at
    /// most this many jobs (the pager shows that many pages' worth), so a history of millions is never counted on a page
    /// view. <c>null</c> counts exactly. Default 10,000.
    /// </summary>
    public int? DashboardJobListLimit { get; set; } = 10_000;

    /// <summary>How often a write transaction that InnoDB chose as a deadlock victim is sent again. Default 5.</summary>
    public int DeadlockRetries { get; set; } = 5;

    /// <summary>
    /// Concurrent commits of this process's write transactions go to the database as one transaction (one round trip,
    /// one log flush), each caller's Commit still returning only once its statements are durable. Default <c>true</c>;
    /// <c>false</c> sends every commit on its own.
    /// </summary>
    public bool MergeConcurrentCommits { get; set; } = true;

    /// <summary>
    /// Resets every pooled session when it is handed out (COM_RESET_CONNECTION, then the character set again), as
    /// MySqlConnector does by default. The storage returns sessions to its pool clean (no open transaction, no lock),
    /// so the reset only costs: it was a third of the statements the server ran per job. Default <c>false</c>.
    /// </summary>
    public bool ResetPooledSessions { get; set; }

    /// <summary>Timeout of a single SQL command. Default 30 seconds.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first option that is out of range.</summary>
    public void Validate()
    {
        Positive(QueuePollInterval, nameof(QueuePollInterval));
        Positive(MinQueuePollInterval, nameof(MinQueuePollInterval));
        if (MinQueuePollInterval > QueuePollInterval)
            throw new ArgumentException($"{nameof(MinQueuePollInterval)} ({MinQueuePollInterval}) must not exceed {nameof(QueuePollInterval)} ({QueuePollInterval}).", nameof(MinQueuePollInterval));
        Positive(InvisibilityTimeout, nameof(InvisibilityTimeout));
        Positive(KeepAliveInterval, nameof(KeepAliveInterval));
        if (KeepAliveInterval.Ticks * 3 > InvisibilityTimeout.Ticks)
            throw new ArgumentException($"{nameof(KeepAliveInterval)} ({KeepAliveInterval}) must be at most a third of {nameof(InvisibilityTimeout)} ({InvisibilityTimeout}), or a slow keep-alive would let a running job be fetched again.", nameof(KeepAliveInterval));
        if (MaxFetchBatchSize is < 1 or > 1000)
            throw new ArgumentException($"{nameof(MaxFetchBatchSize)} must be between 1 and 1000 (was {MaxFetchBatchSize}).", nameof(MaxFetchBatchSize));
        Positive(JobExpirationCheckInterval, nameof(JobExpirationCheckInterval));
        if (DeleteExpiredBatchSize is < 1 or > 100_000)
            throw new ArgumentException($"{nameof(DeleteExpiredBatchSize)} must be between 1 and 100000 (was {DeleteExpiredBatchSize}).", nameof(DeleteExpiredBatchSize));
        Positive(CountersAggregateInterval, nameof(CountersAggregateInterval));
        if (CountersAggregateBatchSize is < 1 or > 1_000_000)
            throw new ArgumentException($"{nameof(CountersAggregateBatchSize)} must be between 1 and 1000000 (was {CountersAggregateBatchSize}).", nameof(CountersAggregateBatchSize));
        if (DashboardJobListLimit is < 1)
            throw new ArgumentException($"{nameof(DashboardJobListLimit)} must be positive or null (was {DashboardJobListLimit}).", nameof(DashboardJobListLimit));
        if (DeadlockRetries is < 0 or > 100)
            throw new ArgumentException($"{nameof(DeadlockRetries)} must be between 0 and 100 (was {DeadlockRetries}).", nameof(DeadlockRetries));
        Positive(CommandTimeout, nameof(CommandTimeout));
    }

    private static void Positive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
            throw new ArgumentException($"{name} must be positive (was {value}).", name);
    }
}
