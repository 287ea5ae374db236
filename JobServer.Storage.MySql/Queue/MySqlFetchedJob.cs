using Dapper;
using Hangfire.Storage;

namespace JobServer.Storage.MySql.Queue;

/// <summary>
/// A job this process claimed: its queue row carries our owner name and <see cref="Token"/>, and stays invisible to
/// other servers while the keep-alive refreshes it. Every outcome is fenced by the token, so a worker whose claim was
/// given back (say after its process lost the database for longer than the invisibility timeout) changes nothing.
/// </summary>
public sealed class MySqlFetchedJob : IFetchedJob
{
    private readonly MySqlStorage _storage;
    private int _finished;

    internal MySqlFetchedJob(MySqlStorage storage, long rowId, long jobId, string queue, string token)
    {
        _storage = storage;
        RowId = rowId;
        JobId = jobId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Queue = queue;
        Token = token;
        storage.KeepAlive.Track(this);
    }

    public string JobId { get; }

    public string Queue { get; }

    internal long RowId { get; }

    internal string Token { get; }

    internal bool IsFinished => Volatile.Read(ref _finished) != 0;

    /// <summary>Acknowledged: the job reached a final state and its queue row is deleted (no-op when done already).</summary>
    public void RemoveFromQueue()
    {
        if (IsFinished) return;
        _storage.Database.Use(c => c.Execute(QueueSql.DeleteFetched, new { id = RowId, token = Token }));
        MarkFinished();
    }

    /// <summary>Given back: visible to every fetcher again at once (an exception or a shutdown stopped the worker).</summary>
    public void Requeue()
    {
        if (IsFinished) return;
        _storage.Database.Use(c => c.Execute(QueueSql.Requeue, new { id = RowId, token = Token }));
        MarkFinished();
        _storage.Fetchers.NotifyEnqueued(Queue);
    }

    /// <summary>Disposed without an outcome: the job goes back to its queue at once, not after a timeout.</summary>
    public void Dispose()
    {
        if (IsFinished) return;
        try
        {
            Requeue();
        }
        catch (Exception ex)
        {
            // The row stays fetched; once our keep-alive stops covering it, recovery gives it back.
            MarkFinished();
            _storage.Log(ex, $"Could not give job {JobId} back to queue '{Queue}'; it returns after the invisibility timeout.");
        }
    }

    /// <summary>Called after a transaction that removed the row (transactional acknowledge) committed.</summary>
    internal void MarkFinished()
    {
        if (Interlocked.Exchange(ref _finished, 1) == 0) _storage.KeepAlive.Untrack(this);
    }
}
