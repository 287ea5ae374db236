using Hangfire;
using Hangfire.States;

namespace JobServer.Bench.Storages;

/// <summary>
/// One Hangfire storage the cases measure: it creates a <see cref="JobStorage"/> on a database of its own, empties it
/// between runs, and measures the raw commit rate of that database for the baselines. Ours first, then its peers
/// (Hangfire.InMemory, Hangfire.PostgreSql, Hangfire.Redis.StackExchange), each one subclass listed in <see cref="Create"/>.
/// What a case cannot do on a storage is said by its capability properties, which the cases consult.
/// </summary>
internal abstract class StorageUnderTest : IAsyncDisposable
{
    /// <summary>Shown in every table line and passed to child processes (<c>--storage</c>).</summary>
    public abstract string Name { get; }

    /// <summary>Creates the database's schema if needed and reads <see cref="Settings"/>; called once per process
    /// before anything else (a child process skips it).</summary>
    public abstract Task PrepareAsync();

    /// <summary>What the figures depend on, as the report records it: the server's version and durability settings read
    /// from the server itself, and the storage options used. Filled by <see cref="PrepareAsync"/>.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; protected set; } = new Dictionary<string, string>();

    /// <summary>Another process can open the same storage (false for an in-process one: the cases that need a second
    /// process skip it).</summary>
    public virtual bool SharedAcrossProcesses => true;

    /// <summary>The bulk-insert job and its LOAD DATA baseline run on this storage's database (JobServer's own API over
    /// MySQL: ours only).</summary>
    public virtual bool SupportsBulkInsert => false;

    /// <summary>The dashboard case runs on this storage: ours, seeded by a set-based copy. Not the peers: through the
    /// client-based <see cref="SeedHistoryAsync"/> they seeded 400 (PostgreSql), 900 (Redis) and 3,100 (InMemory) jobs/s
    /// on the 2-core machine, minutes to tens of minutes for the case's history; Redis also keeps only the last 499
    /// Succeeded jobs in its list, so its deep pages would be empty.</summary>
    public virtual bool SeedsDashboardHistory => false;

    /// <summary>A new storage instance on the prepared database; the caller disposes it when it is
    /// <see cref="IDisposable"/>. A process may hold several (a child process has its own).</summary>
    public abstract JobStorage CreateStorage();

    /// <summary>Removes every job, queue entry, counter, set and server, so a run starts from nothing. Called only while
    /// no server of this storage runs.</summary>
    public abstract Task ResetAsync();

    /// <summary>Commits per second of the smallest durable write this database does (one row, its own transaction),
    /// from <paramref name="connections"/> connections at once; null when the storage has no database to compare with.</summary>
    public abstract Task<double?> RawCommitsPerSecondAsync(int connections, int commits);

    /// <summary>What <see cref="RawCommitsPerSecondAsync"/> measures, for the baseline's table line (after "raw: ").</summary>
    public virtual string RawCommitLabel(int connections) =>
        $"one-row INSERT, own commit, {connections} connection{(connections == 1 ? "" : "s")}";

    /// <summary>
    /// Fills the storage with a finished history: <paramref name="succeeded"/> Succeeded and <paramref name="failed"/>
    /// Failed jobs, as Hangfire would leave them. This default goes through Hangfire's own client (works for any storage,
    /// a few thousand jobs a second); a storage may override it with a set-based copy of such jobs.
    /// </summary>
    public virtual async Task SeedHistoryAsync(JobStorage storage, int succeeded, int failed)
    {
        var client = new BackgroundJobClient(storage);
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        var next = -1;
        var total = succeeded + failed;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (var i = Interlocked.Increment(ref next); i < total; i = Interlocked.Increment(ref next))
            {
                if (i < succeeded) client.Create<NoopJob>(x => x.Run(i), new SucceededState(null, 0, 1));
                else client.Create<NoopJob>(x => x.Fail(i), new FailedState(new InvalidOperationException("seeded failure")));
            }
        })));
        Console.WriteLine($"  seeded {succeeded:N0} Succeeded and {failed:N0} Failed jobs through BackgroundJobClient in {stopwatch.Elapsed.TotalSeconds:N1} s ({total / stopwatch.Elapsed.TotalSeconds:N0} jobs/s)");
    }

    /// <summary>The database's lock-contention counters so far (a case reports the difference over a run); null when
    /// the storage has none to read.</summary>
    /// <summary>Where the storage stops counting Failed jobs for the dashboard (null: it counts them all).</summary>
    public virtual int? FailedCountLimit => null;

    public virtual Task<ContentionCounters?> ContentionCountersAsync() => Task.FromResult<ContentionCounters?>(null);

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>The raw baseline of a SQL database: one-row INSERTs into its <c>bench_commit</c> table (emptied first) in
    /// autocommit, one durable commit per row (the least a storage must do per enqueued job), from
    /// <paramref name="connections"/> connections at once.</summary>
    protected static async Task<double> RawInsertsPerSecondAsync(Func<Task<System.Data.Common.DbConnection>> open, int connections, int commits)
    {
        await using (var empty = await open())
        {
            await Dapper.SqlMapper.ExecuteAsync(empty, "TRUNCATE TABLE bench_commit");
        }

        var perConnection = commits / connections;
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
        {
            await using var connection = await open();
            for (var i = 0; i < perConnection; i++)
            {
                await Dapper.SqlMapper.ExecuteAsync(connection, "INSERT INTO bench_commit (payload) VALUES (@payload)", new { payload = "{}" });
            }
        })));
        return perConnection * connections / stopwatch.Elapsed.TotalSeconds;
    }

    /// <summary>The package's version as published (the informational version without its commit hash): assembly
    /// versions of strong-named packages stay at x.0.0.</summary>
    protected static string VersionOf(Type type)
    {
        var assembly = type.Assembly;
        var informational = System.Reflection.CustomAttributeExtensions.GetCustomAttribute<System.Reflection.AssemblyInformationalVersionAttribute>(assembly)?.InformationalVersion;
        return informational is { Length: > 0 } ? informational.Split('+')[0] : assembly.GetName().Version?.ToString(3) ?? "?";
    }

    /// <summary>"Name=value" for each public property of a storage's options object, for <see cref="Settings"/>.</summary>
    protected static string Describe(object options) => string.Join(", ", options.GetType().GetProperties()
        .Where(p => p.CanRead && p.GetIndexParameters().Length == 0)
        .Select(p => p.GetValue(options) is var value && value is System.Collections.IEnumerable list and not string
            ? $"{p.Name}=[{string.Join(" ", list.Cast<object>())}]"
            : $"{p.Name}={value}"));

    /// <summary>The storages a run measures, by name (<c>--storage</c>; default every one).</summary>
    public static StorageUnderTest Create(string name, BenchEnvironment environment) => name switch
    {
        MySqlStorageUnderTest.StorageName => new MySqlStorageUnderTest(environment.Require(environment.ConnectionString, BenchEnvironment.MySqlVariable)),
        InMemoryStorageUnderTest.StorageName => new InMemoryStorageUnderTest(),
        PostgreSqlStorageUnderTest.StorageName => new PostgreSqlStorageUnderTest(environment.Require(environment.PostgreSqlConnectionString, BenchEnvironment.PostgreSqlVariable)),
        RedisStorageUnderTest.StorageName => new RedisStorageUnderTest(environment.Require(environment.RedisConfiguration, BenchEnvironment.RedisVariable)),
        _ when MySqlStorageUnderTest.Ablations.FirstOrDefault(a => name == $"{MySqlStorageUnderTest.StorageName} ({a.Suffix})") is { } ablation =>
            new MySqlStorageUnderTest(environment.Require(environment.ConnectionString, BenchEnvironment.MySqlVariable), ablation),
        _ => throw new ArgumentException($"Unknown storage '{name}'. Storages: {string.Join(", ", Names.Concat(AblationNames))}"),
    };

    /// <summary>Every storage, ours first: the default run measures them all, in this order.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        MySqlStorageUnderTest.StorageName,
        InMemoryStorageUnderTest.StorageName,
        PostgreSqlStorageUnderTest.StorageName,
        RedisStorageUnderTest.StorageName,
    ];

    /// <summary>Our storage with measured gains switched off (<c>--ablations</c>), each a baseline for one change.</summary>
    public static IReadOnlyList<string> AblationNames { get; } =
        MySqlStorageUnderTest.Ablations.Select(a => $"{MySqlStorageUnderTest.StorageName} ({a.Suffix})").ToList();
}

/// <summary>Row-lock waits, the time spent in them and deadlocks, and the statements and COMMITs the server ran, as the
/// database counts them since it started.</summary>
internal sealed record ContentionCounters(long RowLockWaits, long RowLockTimeMs, long Deadlocks, long Statements, long Commits)
{
    public static ContentionCounters operator -(ContentionCounters after, ContentionCounters before) =>
        new(after.RowLockWaits - before.RowLockWaits, after.RowLockTimeMs - before.RowLockTimeMs, after.Deadlocks - before.Deadlocks,
            after.Statements - before.Statements, after.Commits - before.Commits);

    public override string ToString() => $"{RowLockWaits:N0} row-lock waits ({RowLockTimeMs:N0} ms waited), {Deadlocks:N0} deadlocks, {Statements:N0} statements, {Commits:N0} COMMITs";
}
