using Dapper;
using MySqlConnector;

namespace JobServer.Storage.MySql.Queue;

/// <summary>
/// Fetches for every worker of this process that waits on one queue set: workers register and block; a single loop
/// claims as many jobs as there are waiting workers in one short transaction (queues in the order given, SKIP LOCKED
/// so fetchers of other processes never wait on each other) and hands one to each. An enqueue committed in this
/// process wakes the loop at once; other processes' enqueues are found by polling that starts at
/// <see cref="MySqlStorageOptions.MinQueuePollInterval"/> after work was found and backs off to
/// <see cref="MySqlStorageOptions.QueuePollInterval"/>.
/// </summary>
internal sealed class JobFetcher
{
    private readonly MySqlStorage _storage;
    private readonly string[] _queues;
    private readonly CancellationToken _disposed;
    private readonly object _gate = new();
    private readonly Queue<TaskCompletionSource<MySqlFetchedJob>> _waiters = new();
    private readonly SemaphoreSlim _wake = new(0, 1);
    private Task? _loop;

    public JobFetcher(MySqlStorage storage, string[] queues, CancellationToken disposed)
    {
        _storage = storage;
        _queues = queues;
        _disposed = disposed;
    }

    public bool Serves(string queue) => Array.IndexOf(_queues, queue) >= 0;

    /// <summary>Blocks until a job is claimed for this caller; throws <see cref="OperationCanceledException"/> on cancellation.</summary>
    public MySqlFetchedJob Fetch(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var waiter = new TaskCompletionSource<MySqlFetchedJob>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _waiters.Enqueue(waiter);
            _loop ??= Task.Run(RunAsync);
        }
        Wake();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposed);
        try
        {
            return waiter.Task.WaitAsync(linked.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            // A job may have been handed to us in the same instant: it must not stay claimed by a worker that left.
            if (!waiter.TrySetCanceled() && waiter.Task.IsCompletedSuccessfully) waiter.Task.Result.Dispose();
            throw new OperationCanceledException(cancellationToken.IsCancellationRequested ? cancellationToken : _disposed);
        }
    }

    public void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            try { _wake.Release(); }
            catch (SemaphoreFullException) { }
        }
    }

    private async Task RunAsync()
    {
        var pause = _storage.Options.MinQueuePollInterval;
        while (!_disposed.IsCancellationRequested)
        {
            var wanted = CountWaiting();
            if (wanted == 0)
            {
                await WaitForWakeAsync(Timeout.InfiniteTimeSpan);
                continue;
            }
            IReadOnlyList<MySqlFetchedJob> claimed;
            try
            {
                claimed = await ClaimAsync(Math.Min(wanted, _storage.Options.MaxFetchBatchSize));
            }
            catch (Exception ex) when (!_disposed.IsCancellationRequested)
            {
                _storage.Database.NoteFailure(ex);
                _storage.Log(ex, $"Fetching from queues '{string.Join(", ", _queues)}' failed; workers keep waiting and the fetch is retried.");
                await WaitForWakeAsync(_storage.Options.QueuePollInterval);
                continue;
            }
            catch (Exception) when (_disposed.IsCancellationRequested)
            {
                return;
            }
            foreach (var job in claimed) HandOut(job);
            if (claimed.Count > 0)
            {
                pause = _storage.Options.MinQueuePollInterval;
                continue;
            }
            await WaitForWakeAsync(pause);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, _storage.Options.QueuePollInterval.Ticks));
        }
    }

    private int CountWaiting()
    {
        lock (_gate)
        {
            while (_waiters.TryPeek(out var first) && first.Task.IsCompleted) _waiters.Dequeue();
            return _waiters.Count(w => !w.Task.IsCompleted);
        }
    }

    private void HandOut(MySqlFetchedJob job)
    {
        lock (_gate)
        {
            while (_waiters.TryDequeue(out var waiter))
                if (waiter.TrySetResult(job)) return;
        }
        // Every waiter left (shutdown) between the claim and now: give the job back at once.
        job.Dispose();
    }

    private async Task WaitForWakeAsync(TimeSpan timeout)
    {
        try
        {
            await _wake.WaitAsync(timeout, _disposed);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task<IReadOnlyList<MySqlFetchedJob>> ClaimAsync(int limit)
    {
        await using var connection = new MySqlConnection(_storage.Database.ConnectionString);
        await connection.OpenAsync(_disposed);
        var committed = false;
        try
        {
            var rows = new List<ClaimedRow>(limit);
            var sql = QueueSql.BeginClaim + ";\n" + QueueSql.SelectClaimable;
            foreach (var queue in _queues)
            {
                // The transaction begins in the same round trip as the first SELECT: a claim is two round trips.
                var found = await connection.QueryAsync<ClaimedRow>(sql, new { queue, limit = limit - rows.Count });
                sql = QueueSql.SelectClaimable;
                rows.AddRange(found);
                if (rows.Count >= limit) break;
            }
            if (rows.Count == 0)
            {
                await connection.ExecuteAsync(QueueSql.Commit);
                committed = true;
                return [];
            }
            var token = Guid.NewGuid().ToString("N");
            await connection.ExecuteAsync(QueueSql.MarkFetched, new { owner = _storage.Owner, token, ids = rows.Select(r => r.RowId).ToArray() });
            committed = true;
            // Fetched: from here on the rows are ours until acknowledged, given back, or our keep-alive stops.
            return rows.Select(r => new MySqlFetchedJob(_storage, r.RowId, r.JobId, r.Queue, token)).ToList();
        }
        finally
        {
            if (!committed && connection.State == System.Data.ConnectionState.Open)
            {
                try { await connection.ExecuteAsync(QueueSql.Rollback); }
                catch (Exception) { MySqlDatabase.Discard(connection); }
            }
        }
    }

    private sealed record ClaimedRow(long RowId, long JobId, string Queue);
}
