using Hangfire;
using Hangfire.Common;
using Hangfire.Storage;

namespace JobServer.Storage.MySql.Tests.Contract;

/// <summary>
/// The base of every contract area: one storage per test (created lazily by the subclass: Hangfire.InMemory, the
/// reference, or ours on MariaDB), connections and transactions through Hangfire's public storage API only, and
/// everything disposed after the test. Keys are unique per test so tests may share a database.
/// </summary>
public abstract class StorageContract : IDisposable
{
    private readonly List<IDisposable> _owned = [];
    private JobStorage? _storage;

    protected abstract JobStorage CreateStorage();

    protected JobStorage Storage => _storage ??= OwnStorage(CreateStorage());

    private JobStorage OwnStorage(JobStorage storage)
    {
        if (storage is IDisposable disposable) _owned.Add(disposable);
        return storage;
    }

    /// <summary>A new connection, disposed with the test (tests may dispose it earlier).</summary>
    protected JobStorageConnection Connect() => Own((JobStorageConnection)Storage.GetConnection());

    protected static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 17, 60)];

    /// <summary>Runs <paramref name="write"/> in one transaction on a fresh connection and commits it.</summary>
    protected void Commit(Action<JobStorageTransaction> write)
    {
        using var connection = Storage.GetConnection();
        using var transaction = (JobStorageTransaction)connection.CreateWriteTransaction();
        write(transaction);
        transaction.Commit();
    }

    /// <summary>A job row (no state) that lives for an hour, created as Hangfire's client creates one.</summary>
    protected string CreateJob(IDictionary<string, string?>? parameters = null)
    {
        using var connection = Storage.GetConnection();
        return connection.CreateExpiredJob(Job.FromExpression(() => ContractJobs.Greet("world", 3)),
            parameters ?? new Dictionary<string, string?>(), DateTime.UtcNow, TimeSpan.FromHours(1));
    }

    /// <summary>Fetches with a deadline: the job, or null when none came within <paramref name="wait"/>.</summary>
    protected IFetchedJob? TryFetch(IStorageConnection connection, string[] queues, TimeSpan wait)
    {
        using var cancellation = new CancellationTokenSource(wait);
        try
        {
            return Own(connection.FetchNextJob(queues, cancellation.Token));
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    protected T Own<T>(T disposable) where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    public void Dispose()
    {
        for (var i = _owned.Count - 1; i >= 0; i--) _owned[i].Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>Job methods the contract tests store and load back.</summary>
public static class ContractJobs
{
    public static void Greet(string name, int times)
    {
    }
}
