using Dapper;
using JobServer.Engine.States;
using MySql.Data.MySqlClient;

namespace JobServer.Storage.MySql;

/// <summary>
/// Takes and gives back concurrency leases inside the caller's transaction, so a lease changes hands atomically with
/// the job state that justifies it. Lock order: the caller's queue and job rows first, then the key row.
/// </summary>
internal static class ConcurrencyLeases
{
    public enum Outcome
    {
        Acquired,
        MustWait,
    }

    /// <summary>Locks the key and decides whether a new holder fits; throws <see cref="ConcurrencyLimitReachedException"/>
    /// when the key is full and the job may not wait. Follow with <see cref="Take"/> or <see cref="Wait"/>.</summary>
    public static Outcome Decide(MySqlConnection connection, MySqlTransaction transaction, ConcurrencyRequest request)
    {
        connection.Execute(ConcurrencySql.LockKey, new { key = request.Key }, transaction);
        var holders = connection.Query<long>(ConcurrencySql.SelectHolders, new { key = request.Key }, transaction).AsList();
        if (holders.Count < request.Limit)
        {
            return Outcome.Acquired;
        }

        return request.WaitWhenFull ? Outcome.MustWait : throw new ConcurrencyLimitReachedException(request.Key, holders);
    }

    public static IReadOnlyList<long> Holders(MySqlConnection connection, MySqlTransaction transaction, string key) =>
        connection.Query<long>(ConcurrencySql.SelectHolders, new { key }, transaction).AsList();

    public static void Take(MySqlConnection connection, MySqlTransaction transaction, ConcurrencyRequest request, long id) =>
        connection.Execute(ConcurrencySql.InsertLease, new { key = request.Key, id }, transaction);

    public static void Wait(MySqlConnection connection, MySqlTransaction transaction, ConcurrencyRequest request, long id, string queue, DateTime? runAt) =>
        connection.Execute(ConcurrencySql.InsertWait, new { id, key = request.Key, queue, runAt }, transaction);

    /// <summary>Gives back the lease job <paramref name="id"/> holds, if any, handing it straight to the oldest job
    /// waiting for the key. Returns the queue the woken job went to, if one did.</summary>
    public static string? Release(MySqlConnection connection, MySqlTransaction transaction, long id, DateTime now, string? serverId)
    {
        var key = connection.QuerySingleOrDefault<string>(ConcurrencySql.SelectLeaseOfJob, new { id }, transaction);
        if (key is null)
        {
            return null;
        }

        connection.Execute(ConcurrencySql.LockKey, new { key }, transaction);
        connection.Execute(ConcurrencySql.DeleteLease, new { id }, transaction);
        var next = connection.QuerySingleOrDefault<WaitingJob>(ConcurrencySql.SelectNextWaiting, new { key }, transaction);
        if (next is null)
        {
            return null;
        }

        connection.Execute(ConcurrencySql.DeleteWait, new { id = next.JobId }, transaction);
        connection.Execute(ConcurrencySql.InsertLease, new { key, id = next.JobId }, transaction);
        var scheduled = next.RunAt is { } runAt && runAt > now;
        connection.Execute(scheduled ? ConcurrencySql.SetScheduled : JobWriterSql.EnqueueAwaiting, new { id = next.JobId, queue = next.Queue, runAt = next.RunAt }, transaction);
        JobHistory.Append(connection, transaction, next.JobId, scheduled ? JobState.Scheduled : JobState.Enqueued, now, serverId, $"Concurrency key '{key}' released by job {id}");
        return scheduled ? null : next.Queue;
    }

    /// <summary>Takes a waiting job out of its key's line (it was deleted or requeued).</summary>
    public static void LeaveLine(MySqlConnection connection, MySqlTransaction transaction, long id) =>
        connection.Execute(ConcurrencySql.DeleteWait, new { id }, transaction);

    private sealed class WaitingJob
    {
        public long JobId { get; init; }

        public string Queue { get; init; } = "";

        public DateTime? RunAt { get; init; }
    }
}
