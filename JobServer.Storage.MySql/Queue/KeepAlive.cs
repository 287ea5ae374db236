using Dapper;

namespace JobServer.Storage.MySql.Queue;

/// <summary>
/// Keeps the jobs this process holds invisible to other servers. One UPDATE refreshes all of them; it runs only
/// while this process holds any, and once per interval however many Hangfire servers share the storage.
/// </summary>
internal sealed class KeepAlive(MySqlStorage storage)
{
    private readonly object _gate = new();
    private readonly HashSet<MySqlFetchedJob> _held = [];
    private DateTimeOffset _lastRefresh = DateTimeOffset.MinValue;

    public int HeldCount
    {
        get { lock (_gate) return _held.Count; }
    }

    public void Track(MySqlFetchedJob job)
    {
        lock (_gate) _held.Add(job);
    }

    public void Untrack(MySqlFetchedJob job)
    {
        lock (_gate) _held.Remove(job);
    }

    /// <summary>Refreshes the held jobs unless another caller did within half an interval. Returns rows refreshed.</summary>
    public int RefreshIfDue()
    {
        var now = storage.Time.GetUtcNow();
        lock (_gate)
        {
            if (_held.Count == 0 || now - _lastRefresh < storage.Options.KeepAliveInterval / 2) return 0;
            _lastRefresh = now;
        }
        return Refresh();
    }

    public int Refresh()
    {
        string[] tokens;
        lock (_gate) tokens = _held.Select(job => job.Token).Distinct().ToArray();
        if (tokens.Length == 0) return 0;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return storage.Database.Use(c => c.Execute(QueueSql.KeepAlive, new { owner = storage.Owner, tokens }));
            }
            catch (Exception ex) when (MySqlDatabase.IsDeadlock(ex) && attempt < storage.Options.DeadlockRetries)
            {
                // The UPDATE walks the owner index to the rows while an acknowledgement deletes one by its primary key:
                // opposite orders, so InnoDB may pick this statement as a deadlock victim. It is idempotent, and a
                // refresh lost until the next interval would bring its jobs a quarter closer to being given back.
                Thread.Sleep(Random.Shared.Next(1, 10 * (attempt + 1)));
            }
        }
    }
}
