using Hangfire.Client;
using Hangfire.Common;
using Hangfire.States;
using Hangfire.Storage;

namespace JobServer.Concurrency;

/// <summary>
/// At most <see cref="Limit"/> jobs with the same key are in flight — Enqueued, Scheduled or Processing — across all
/// servers sharing the storage. The key comes from <see cref="Key"/>, a template over the job's arguments
/// (<c>"bulk-insert:{0.Project}"</c>). A job takes its slot in the transaction that gives it its first in-flight state
/// and keeps it through retries and through a dead server's re-run (the job stays Processing); the transaction that
/// makes it Succeeded, Failed (after its retries) or Deleted gives the slot back and hands it to the oldest waiting job.
/// </summary>
/// <remarks>
/// <para>Races: every read-then-write of a key's slots runs under the distributed lock <c>concurrency:{key}</c>, held
/// until the write commits (<see cref="ConcurrencyLocks"/>). For <see cref="ConcurrencyLimitMode.Reject"/> the check
/// happens in <see cref="OnCreating"/>, before Hangfire writes the job row, and the lock stays held until the initial
/// state has committed; if creation fails on the way nothing was reserved, because the slot is only ever written with
/// the state.</para>
/// <para>Thread-safety: one instance serves all jobs of a method on all threads; it keeps no state of its own.</para>
/// <para>Needs a storage with transaction-scoped distributed locks and batched set reads (MySqlStorage, InMemory).</para>
/// </remarks>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class ConcurrencyLimitAttribute : JobFilterAttribute, IClientFilter, IElectStateFilter, IApplyStateFilter
{
    /// <summary>Runs after the other election filters (AutomaticRetry, Queue, continuations), so the state it sets a
    /// job waiting for is the one they elected.</summary>
    public const int DefaultOrder = 10_000;

    private const string CreationLockItem = "JobServer.Concurrency.CreationLock";

    public ConcurrencyLimitAttribute() => Order = DefaultOrder;

    /// <summary>Template of the key: <c>{0}</c> is the first argument, <c>{0.Project}</c> its property. Required.</summary>
    public string Key { get; set; } = "";

    /// <summary>How many jobs with one key may be in flight at once. Default 1.</summary>
    public int Limit { get; set; } = 1;

    /// <summary>What a job over the limit gets. Default <see cref="ConcurrencyLimitMode.Reject"/>.</summary>
    public ConcurrencyLimitMode Mode { get; set; } = ConcurrencyLimitMode.Reject;

    /// <summary>How long a creation or state change waits for the key's lock before it fails. Default 30 seconds.</summary>
    public int LockTimeoutSeconds { get; set; } = 30;

    private TimeSpan LockTimeout => TimeSpan.FromSeconds(LockTimeoutSeconds);

    /// <summary>Reject: refuses a full key before the job row exists; otherwise keeps the key locked until OnCreated.</summary>
    public void OnCreating(CreatingContext context)
    {
        // Wait jobs are decided by the initial state's election. A job created into a state that is not in flight (a
        // continuation waiting for its parent) takes no slot now; and taking the key's lock before the parent's lock,
        // as continuations do, would invert the order every state change uses.
        if (Mode != ConcurrencyLimitMode.Reject) return;
        if (context.InitialState is { } initial && !ConcurrencySlots.IsInFlight(initial)) return;

        var key = KeyOf(context.Job);
        var held = ConcurrencyLocks.AcquireForCreation(context.Connection, key, LockTimeout);
        try
        {
            List<string> holders;
            using (var prune = context.Connection.CreateWriteTransaction())
            {
                holders = ConcurrencySlots.LiveHolders(context.Connection, key, prune);
                prune.Commit();
            }

            if (holders.Count >= Limit)
            {
                // A recurring occurrence (created without a state, enqueued later) is skipped, as Hangfire skips an
                // occurrence whose creation a filter cancels; an explicit creation is refused.
                if (context.InitialState is null)
                {
                    context.Canceled = true;
                    return;
                }
                throw new ConcurrencyLimitReachedException(key.Name, holders);
            }

            // Without an initial state the job gets its state in a later transaction, which locks on its own.
            if (context.InitialState is null) return;
            context.Items[CreationLockItem] = held;
            held = null;
        }
        finally
        {
            held?.Dispose();
        }
    }

    /// <summary>Releases the creation lock: the initial state (and the slot with it) has committed, or creation failed.</summary>
    public void OnCreated(CreatedContext context)
    {
        if (context.Items.Remove(CreationLockItem, out var held)) ((IDisposable)held).Dispose();
    }

    /// <summary>A job entering flight without a slot takes a free one (in OnStateApplied) or waits in line.</summary>
    public void OnStateElection(ElectStateContext context)
    {
        if (!ConcurrencySlots.IsInFlight(context.CandidateState)) return;
        // In flight already means holding a slot (the invariant): Enqueued → Processing, a retry, a dead server's
        // job re-run Processing → Processing. No lock, no reads on the hot path.
        if (ConcurrencySlots.IsInFlight(context.CurrentState)) return;

        var key = KeyOf(context.BackgroundJob.Job);
        var id = context.BackgroundJob.Id;
        ConcurrencyLocks.EnsureHeld(context.Storage, context.Connection, context.Transaction, key, LockTimeout);
        var holders = ConcurrencySlots.LiveHolders(context.Connection, key, context.Transaction);
        if (holders.Contains(id)) return;
        if (holders.Count < Limit)
        {
            // A free slot goes to the oldest waiter: a newcomer does not overtake the line.
            var first = ConcurrencySlots.LiveWaiters(context.Connection, key, 1, context.Transaction);
            if (first.Count == 0 || first[0].Id == id) return;
        }

        context.CandidateState = new ConcurrencyWaitingState(key.Name, Limit, context.CandidateState, holders);
    }

    /// <summary>Writes the slot change into the state change's transaction: take, join the line, or give back and promote.</summary>
    public void OnStateApplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
        var id = context.BackgroundJob.Id;
        var oldState = context.OldStateName;
        var connection = context.Connection;
        if (ConcurrencySlots.IsInFlight(context.NewState))
        {
            if (ConcurrencySlots.IsInFlight(oldState)) return;
            var key = Locked(context, transaction);
            transaction.AddToSet(key.Holders, id);
            if (oldState == AwaitingState.StateName && WaitingContains(context, key, id))
            {
                ConcurrencySlots.LeaveLine(connection, transaction, key, id, lineEmptyAfterwards: WaitingCount(connection, key) <= 1);
            }
        }
        else if (context.NewState is ConcurrencyWaitingState)
        {
            var key = Locked(context, transaction);
            // Waiting again (an operator enqueued a waiting job while the key was full) keeps the place in line.
            if (oldState != AwaitingState.StateName || !WaitingContains(context, key, id)) ConcurrencySlots.Enqueue(connection, transaction, key, id);
        }
        else if (ConcurrencySlots.IsInFlight(oldState) || oldState == AwaitingState.StateName)
        {
            // Leaving flight or the line however it happens: Succeeded, Failed after the retries, Deleted (also a
            // running or waiting job), or anything else that is not in flight. Membership is read under the lock,
            // not inferred from the old state: a waiter may have been promoted since its old state was read.
            var key = Locked(context, transaction);
            if (connection.GetAllItemsFromSet(key.Holders).Contains(id))
            {
                transaction.RemoveFromSet(key.Holders, id);
                PromoteWaiters(connection, transaction, key, releasedBy: id);
            }
            else if (WaitingContains(context, key, id))
            {
                ConcurrencySlots.LeaveLine(connection, transaction, key, id, lineEmptyAfterwards: WaitingCount(connection, key) <= 1);
            }
        }
    }

    public void OnStateUnapplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
    }

    private void PromoteWaiters(IStorageConnection connection, IWriteOnlyTransaction transaction, ConcurrencyKey key, string releasedBy)
    {
        var free = Limit - ConcurrencySlots.LiveHolders(connection, key, transaction, except: releasedBy).Count;
        if (free <= 0) return;
        var next = ConcurrencySlots.LiveWaiters(connection, key, free, transaction, except: releasedBy);
        foreach (var (waiter, state) in next)
        {
            ConcurrencySlots.Promote(connection, transaction, key, waiter, state, $"Concurrency key '{key.Name}' released by job {releasedBy}");
        }
        if (next.Count < free) transaction.RemoveHash(key.Line);
    }

    private ConcurrencyKey Locked(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
        var key = KeyOf(context.BackgroundJob.Job);
        ConcurrencyLocks.EnsureHeld(context.Storage, context.Connection, transaction, key, LockTimeout);
        return key;
    }

    private ConcurrencyKey KeyOf(Job job)
    {
        if (Limit < 1) throw new InvalidOperationException($"{nameof(ConcurrencyLimitAttribute)}.{nameof(Limit)} must be at least 1 (was {Limit}) on {job.Type.Name}.{job.Method.Name}.");
        if (string.IsNullOrEmpty(Key)) throw new InvalidOperationException($"{nameof(ConcurrencyLimitAttribute)}.{nameof(Key)} is required on {job.Type.Name}.{job.Method.Name}.");
        return ConcurrencyKey.Resolve(Key, job.Args);
    }

    private static bool WaitingContains(ApplyStateContext context, ConcurrencyKey key, string id) =>
        context.Connection is JobStorageConnection scored && context.Storage.HasFeature(JobStorageFeatures.Connection.GetSetContains)
            ? scored.GetSetContains(key.Waiting, id)
            : context.Connection.GetAllItemsFromSet(key.Waiting).Contains(id);

    private static long WaitingCount(IStorageConnection connection, ConcurrencyKey key)
    {
        if (connection is JobStorageConnection scored)
        {
            try
            {
                return scored.GetSetCount(key.Waiting);
            }
            catch (NotSupportedException)
            {
                // A storage without the extended API: count the set itself.
            }
        }
        return connection.GetAllItemsFromSet(key.Waiting).Count;
    }
}
