using System.Runtime.CompilerServices;
using Hangfire;
using Hangfire.Storage;

namespace JobServer.Concurrency;

/// <summary>
/// The <c>concurrency:{key}</c> distributed locks, held until the write that depends on what was read under them has
/// committed: a state change holds it through its transaction (a transaction-scoped lock, released when Hangfire
/// disposes the transaction after Commit); job creation holds it on the client's connection from OnCreating to
/// OnCreated, so the check before the job row exists and the slot taken by the initial state form one critical section.
/// </summary>
/// <remarks>
/// Thread-safety: Hangfire never shares a connection or a transaction between threads, and the tables are keyed by
/// those objects, so a set is only touched by its owner's thread; the tables themselves are thread-safe.
/// </remarks>
internal static class ConcurrencyLocks
{
    private static readonly ConditionalWeakTable<object, HashSet<string>> Held = new();

    /// <summary>Takes the lock on the client's connection for job creation; dispose after the initial state committed.</summary>
    public static IDisposable AcquireForCreation(IStorageConnection connection, ConcurrencyKey key, TimeSpan timeout)
    {
        var handle = connection.AcquireDistributedLock(key.LockResource, timeout);
        Held.GetOrCreateValue(connection).Add(key.LockResource);
        return new Release(connection, key.LockResource, handle);
    }

    /// <summary>
    /// Makes sure the key's lock is held until <paramref name="transaction"/> ends: already held by this connection
    /// (creation) or this transaction, or taken now as a transaction-scoped lock.
    /// </summary>
    /// <exception cref="NotSupportedException">The storage has no transaction-scoped locks (Hangfire 1.8 storages such as
    /// SqlServer, InMemory and JobServer's MySqlStorage have them): without one the lock would end before the commit.</exception>
    public static void EnsureHeld(JobStorage storage, IStorageConnection connection, IWriteOnlyTransaction transaction, ConcurrencyKey key, TimeSpan timeout)
    {
        if (Held.TryGetValue(connection, out var byConnection) && byConnection.Contains(key.LockResource)) return;
        var byTransaction = Held.GetOrCreateValue(transaction);
        if (byTransaction.Contains(key.LockResource)) return;
        if (!storage.HasFeature(JobStorageFeatures.Transaction.AcquireDistributedLock) || transaction is not JobStorageTransaction scoped)
        {
            throw new NotSupportedException($"Concurrency limits need a storage with transaction-scoped distributed locks; {storage} has none.");
        }

        scoped.AcquireDistributedLock(key.LockResource, timeout);
        byTransaction.Add(key.LockResource);
    }

    private sealed class Release(IStorageConnection connection, string resource, IDisposable handle) : IDisposable
    {
        private bool _done;

        public void Dispose()
        {
            if (_done) return;
            _done = true;
            if (Held.TryGetValue(connection, out var set)) set.Remove(resource);
            handle.Dispose();
        }
    }
}
