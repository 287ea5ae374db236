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

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>The storages a run measures, by name (<c>--storage</c>; default every one).</summary>
    public static StorageUnderTest Create(string name, BenchEnvironment environment) => name switch
    {
        MySqlStorageUnderTest.StorageName => new MySqlStorageUnderTest(environment.ConnectionString),
        _ when MySqlStorageUnderTest.Ablations.FirstOrDefault(a => name == $"{MySqlStorageUnderTest.StorageName} ({a.Suffix})") is { } ablation =>
            new MySqlStorageUnderTest(environment.ConnectionString, ablation),
        _ => throw new ArgumentException($"Unknown storage '{name}'. Storages: {string.Join(", ", Names.Concat(AblationNames))}"),
    };

    /// <summary>Our storage with measured gains switched off (<c>--ablations</c>), each a baseline for one change.</summary>
    public static IReadOnlyList<string> AblationNames { get; } =
        MySqlStorageUnderTest.Ablations.Select(a => $"{MySqlStorageUnderTest.StorageName} ({a.Suffix})").ToList();

    public static IReadOnlyList<string> Names { get; } = [MySqlStorageUnderTest.StorageName];
}
