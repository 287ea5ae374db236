using System.Globalization;
using Hangfire.Common;
using Hangfire.States;
using Hangfire.Storage;

namespace JobServer.Concurrency;

/// <summary>
/// The storage seam of concurrency limits, on Hangfire's storage API only (sets, hashes, state data), so it works on
/// any Hangfire storage. Invariant, kept by <see cref="ConcurrencyLimitAttribute"/>: a keyed job is in the key's
/// holders set exactly while its state is Enqueued, Scheduled or Processing, and in its waiting set exactly while it
/// is in <see cref="ConcurrencyWaitingState"/>. Every method must run under the key's lock
/// (<see cref="ConcurrencyLocks"/>); writes go to the caller's transaction, so they commit with the state change.
/// </summary>
internal static class ConcurrencySlots
{
    private const string NextTicketField = "next";
    private const double MaxTicket = 9_007_199_254_740_992d; // 2^53: tickets are exact doubles up to here

    private static readonly HashSet<string> InFlightStates = new(StringComparer.Ordinal)
    {
        EnqueuedState.StateName,
        ScheduledState.StateName,
        ProcessingState.StateName,
    };

    /// <summary>Enqueued, Scheduled or Processing: a keyed job in one of these holds a slot.</summary>
    public static bool IsInFlight(string? stateName) => stateName is not null && InFlightStates.Contains(stateName);

    public static bool IsInFlight(IState state) => state is not ConcurrencyWaitingState && IsInFlight(state.Name);

    /// <summary>
    /// The holders whose job is still in flight, in id order. A holder whose job ended without this filter seeing it
    /// (its type no longer loads, the job expired, a server without the filter changed it) is removed through
    /// <paramref name="prune"/>, so a lost release cannot block a key for ever.
    /// </summary>
    public static List<string> LiveHolders(IStorageConnection connection, ConcurrencyKey key, IWriteOnlyTransaction? prune, string? except = null)
    {
        var live = new List<string>();
        foreach (var id in connection.GetAllItemsFromSet(key.Holders).Where(id => id != except).OrderBy(id => id.Length).ThenBy(id => id, StringComparer.Ordinal))
        {
            if (IsInFlight(connection.GetStateData(id)?.Name)) live.Add(id);
            else prune?.RemoveFromSet(key.Holders, id);
        }
        return live;
    }

    /// <summary>Up to <paramref name="count"/> waiting jobs, oldest ticket first, with what each goes on to; stale entries pruned.</summary>
    public static List<(string Id, IState Next)> LiveWaiters(IStorageConnection connection, ConcurrencyKey key, int count, IWriteOnlyTransaction prune, string? except = null)
    {
        var scored = connection as JobStorageConnection
            ?? throw new NotSupportedException("Concurrency limits need a storage connection derived from JobStorageConnection.");
        var seen = new Dictionary<string, IState?>(StringComparer.Ordinal);
        var live = new List<(string, IState)>();
        for (var fetch = count + 8; ; fetch *= 2)
        {
            var ids = scored.GetFirstByLowestScoreFromSet(key.Waiting, 0, MaxTicket, fetch);
            live.Clear();
            foreach (var id in ids.Where(id => id != except))
            {
                if (!seen.TryGetValue(id, out var next))
                {
                    var state = connection.GetStateData(id);
                    seen[id] = next = state is null ? null : ConcurrencyWaitingState.NextStateOf(state.Name, state.Data, key.Name);
                    if (next is null) prune.RemoveFromSet(key.Waiting, id);
                }
                if (next is not null) live.Add((id, next));
                if (live.Count == count) return live;
            }
            if (ids.Count < fetch) return live;
        }
    }

    /// <summary>Puts the job in line behind everyone waiting now. Tickets come from the key's hash under the key's
    /// lock, so their order is creation order across all servers.</summary>
    public static void Enqueue(IStorageConnection connection, IWriteOnlyTransaction transaction, ConcurrencyKey key, string id)
    {
        var entries = connection.GetAllEntriesFromHash(key.Line);
        var ticket = entries is not null && entries.TryGetValue(NextTicketField, out var text) ? long.Parse(text, CultureInfo.InvariantCulture) : 1;
        transaction.AddToSet(key.Waiting, id, ticket);
        transaction.SetRangeInHash(key.Line, [new(NextTicketField, (ticket + 1).ToString(CultureInfo.InvariantCulture))]);
    }

    /// <summary>Takes a job out of the line; when nobody is left the ticket hash goes too, so an idle key leaves nothing.</summary>
    public static void LeaveLine(IStorageConnection connection, IWriteOnlyTransaction transaction, ConcurrencyKey key, string id, bool lineEmptyAfterwards)
    {
        transaction.RemoveFromSet(key.Waiting, id);
        if (lineEmptyAfterwards) transaction.RemoveHash(key.Line);
    }

    /// <summary>
    /// Hands a slot to a waiting job in the releasing job's transaction: the waiter becomes a holder and enters the
    /// state it waited to enter, with what Hangfire's Enqueued and Scheduled handlers would write. This bypasses the
    /// waiter's state lock on purpose — taking it here, under the key's lock, would invert the lock order of every
    /// other state change (job lock, then key lock). A racing change of the waiter (a deletion) re-reads membership
    /// under the key's lock and sees the promotion.
    /// </summary>
    public static void Promote(IStorageConnection connection, IWriteOnlyTransaction transaction, ConcurrencyKey key, string id, IState next, string reason)
    {
        var jobQueue = connection.GetJobData(id)?.Job?.Queue;
        transaction.RemoveFromSet(key.Waiting, id);
        transaction.AddToSet(key.Holders, id);
        // What AwaitingState's handler added on storages without the Awaiting monitoring feature.
        transaction.RemoveFromSet("awaiting", id);
        if (next is ScheduledState scheduled && scheduled.EnqueueAt > DateTime.UtcNow)
        {
            transaction.SetJobState(id, new ScheduledState(scheduled.EnqueueAt) { Reason = reason });
            transaction.AddToSet("schedule", jobQueue is null ? id : jobQueue + ":" + id, JobHelper.ToTimestamp(scheduled.EnqueueAt));
            return;
        }

        var queue = (next as EnqueuedState)?.Queue ?? EnqueuedState.DefaultQueue;
        if (jobQueue is not null && string.Equals(queue, EnqueuedState.DefaultQueue, StringComparison.OrdinalIgnoreCase)) queue = jobQueue;
        transaction.SetJobState(id, new EnqueuedState(queue) { Reason = reason });
        transaction.AddToQueue(queue, id);
    }
}
