using Hangfire;
using Hangfire.Logging;
using Hangfire.Server;
using Hangfire.Storage;
using JobServer.Storage.MySql.Maintenance;
using JobServer.Storage.MySql.Monitoring;
using JobServer.Storage.MySql.Queue;
using JobServer.Storage.MySql.Schema;
using JobServer.Storage.MySql.Transactions;

namespace JobServer.Storage.MySql;

/// <summary>
/// A Hangfire <see cref="JobStorage"/> on MySQL 8 / MariaDB 10.6+ through MySqlConnector and Dapper. Fetching claims
/// with <c>FOR UPDATE SKIP LOCKED</c> (no global lock), a fetched job stays invisible for as long as its process keeps
/// it alive, locks are GET_LOCK sessions, and every write transaction is one round trip. Thread-safe; create one per
/// database and process.
/// </summary>
public sealed class MySqlStorage : JobStorage, IDisposable
{
    private static readonly HashSet<string> Features = new(StringComparer.OrdinalIgnoreCase)
    {
        JobStorageFeatures.JobQueueProperty,
        JobStorageFeatures.ExtendedApi,
        JobStorageFeatures.ProcessesInsteadOfComponents,
        JobStorageFeatures.Connection.GetUtcDateTime,
        JobStorageFeatures.Connection.BatchedGetFirstByLowest,
        "BatchedGetFirstByLowestScoreFromSet",
        JobStorageFeatures.Connection.GetSetContains,
        JobStorageFeatures.Connection.LimitedGetSetCount,
        JobStorageFeatures.Transaction.AcquireDistributedLock,
        JobStorageFeatures.Transaction.CreateJob,
        JobStorageFeatures.Transaction.SetJobParameter,
        JobStorageFeatures.Transaction.RemoveFromQueue(typeof(MySqlFetchedJob)),
        JobStorageFeatures.Monitoring.DeletedStateGraphs,
        JobStorageFeatures.Monitoring.AwaitingJobs,
    };

    private readonly ILog _log = LogProvider.GetLogger(typeof(MySqlStorage));

    /// <summary>Creates the storage and, when <see cref="MySqlStorageOptions.PrepareSchemaIfNecessary"/>, its tables.</summary>
    public MySqlStorage(string connectionString, MySqlStorageOptions? options = null)
        : this(connectionString, options ?? new MySqlStorageOptions(), TimeProvider.System)
    {
    }

    internal MySqlStorage(string connectionString, MySqlStorageOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        Time = time;
        Database = new MySqlDatabase(connectionString, options, time);
        Owner = FetchOwner.Create();
        Fetchers = new FetcherRegistry(this);
        KeepAlive = new KeepAlive(this);
        Commits = new CommitGroups(this);
        if (options.PrepareSchemaIfNecessary) SchemaInstaller.Install(Database);
    }

    public MySqlStorageOptions Options { get; }

    /// <summary>Creates or upgrades the tables now, as the constructor does when
    /// <see cref="MySqlStorageOptions.PrepareSchemaIfNecessary"/>: for a host that creates the storage while the database
    /// may still be down (with that option off) and installs once it answers. Safe to call from many servers at once.</summary>
    public void PrepareSchema() => SchemaInstaller.Install(Database);

    /// <summary>Jobs fetched here read LinearizableReads: every read goes to the primary through InnoDB.</summary>
    public override bool LinearizableReads => true;

    internal MySqlDatabase Database { get; }

    internal TimeProvider Time { get; }

    /// <summary>The identity this process writes into the rows it fetches; its keep-alive refreshes exactly those.</summary>
    internal string Owner { get; }

    internal FetcherRegistry Fetchers { get; }

    internal KeepAlive KeepAlive { get; }

    internal CommitGroups Commits { get; }

    public override IStorageConnection GetConnection() => new MySqlStorageConnection(this);

    public override IMonitoringApi GetMonitoringApi() => new MySqlMonitoringApi(this);

    public override bool HasFeature(string featureId)
    {
        ArgumentNullException.ThrowIfNull(featureId);
        return Features.Contains(featureId);
    }

    /// <summary>Runs in every Hangfire server: the keep-alive of the jobs this process has fetched.</summary>
    public override IEnumerable<IBackgroundProcess> GetServerRequiredProcesses()
    {
        yield return new KeepAliveProcess(this);
    }

    /// <summary>Runs in non-lightweight servers: abandoned-job recovery, counter aggregation, expiration.</summary>
    public override IEnumerable<IBackgroundProcess> GetStorageWideProcesses()
    {
        yield return new AbandonedJobRecovery(this);
        yield return new CountersAggregator(this);
        yield return new ExpirationManager(this);
    }

    public override void WriteOptionsToLog(ILog logger)
    {
        logger.Info($"Using {Database.Description} with: queue poll {Options.MinQueuePollInterval.TotalMilliseconds}–{Options.QueuePollInterval.TotalMilliseconds} ms, " +
            $"invisibility timeout {Options.InvisibilityTimeout}, keep-alive every {Options.KeepAliveInterval}, " +
            $"expiration check every {Options.JobExpirationCheckInterval}, counters aggregated every {Options.CountersAggregateInterval}.");
    }

    /// <summary>Server and database, never the credentials: the dashboard shows this.</summary>
    public override string ToString() => Database.Description;

    /// <summary>Stops the fetch loops; workers still waiting get an <see cref="OperationCanceledException"/>.</summary>
    public void Dispose() => Fetchers.Dispose();

    internal void Log(Exception ex, string message) => _log.WarnException(message, ex);
}
