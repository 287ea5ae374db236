using Hangfire;
using Hangfire.States;

namespace JobServer.Bench.Storages;

/// <summary>
/// One Hangfire storage the cases measure: it creates a <see cref="JobStorage"/> on a database of its own, empties it
/// between runs, and measures the raw commit rate of that database for the baselines. Our MySQL storage is the only
/// one for now; a peer (Hangfire.InMemory, PostgreSql, Redis) is one more subclass listed in <see cref="Create"/>.
/// </summary>
internal abstract class StorageUnderTest : IAsyncDisposable
{
    /// <summary>Shown in every table line and passed to child processes (<c>--storage</c>).</summary>
    public abstract string Name { get; }

    /// <summary>Creates the database's schema if needed; called once per process before anything else.</summary>
    public abstract Task PrepareAsync();

    /// <summary>A new storage instance on the prepared database; the caller disposes it when it is
    /// <see cref="IDisposable"/>. A process may hold several (a child process has its own).</summary>
    public abstract JobStorage CreateStorage();

    /// <summary>Removes every job, queue entry, counter, set and server, so a run starts from nothing. Called only while
    /// no server of this storage runs.</summary>
    public abstract Task ResetAsync();

    /// <summary>Commits per second of the smallest durable write this database does (one row, its own transaction),
    /// from <paramref name="connections"/> connections at once; null when the storage has no database to compare with.</summary>
    public abstract Task<double?> RawCommitsPerSecondAsync(int connections, int commits);

    /// <summary>
    /// Fills the storage with a finished history: <paramref name="succeeded"/> Succeeded and <paramref name="failed"/>
    /// Failed jobs, as Hangfire would leave them. This default goes through Hangfire's own client (works for any storage,
    /// a few thousand jobs a second); a storage may override it with a set-based copy of such jobs.
    /// </summary>
    public virtual async Task SeedHistoryAsync(JobStorage storage, int succeeded, int failed)
    {
        var client = new BackgroundJobClient(storage);
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
    }

    /// <summary>The database's lock-contention counters so far (a case reports the difference over a run); null when
    /// the storage has none to read.</summary>
    public virtual Task<ContentionCounters?> ContentionCountersAsync() => Task.FromResult<ContentionCounters?>(null);

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>The storages a run measures, by name (<c>--storage</c>; default every one).</summary>
    public static StorageUnderTest Create(string name, BenchEnvironment environment) => name switch
    {
        MySqlStorageUnderTest.StorageName => new MySqlStorageUnderTest(environment.ConnectionString),
        _ => throw new ArgumentException($"Unknown storage '{name}'. Storages: {string.Join(", ", Names)}"),
    };

    public static IReadOnlyList<string> Names { get; } = [MySqlStorageUnderTest.StorageName];
}

/// <summary>Row-lock waits, the time spent in them and deadlocks, as the database counts them since it started.</summary>
internal sealed record ContentionCounters(long RowLockWaits, long RowLockTimeMs, long Deadlocks)
{
    public static ContentionCounters operator -(ContentionCounters after, ContentionCounters before) =>
        new(after.RowLockWaits - before.RowLockWaits, after.RowLockTimeMs - before.RowLockTimeMs, after.Deadlocks - before.Deadlocks);

    public override string ToString() => $"{RowLockWaits:N0} row-lock waits ({RowLockTimeMs:N0} ms waited), {Deadlocks:N0} deadlocks";
}
