using System.Collections.Concurrent;

namespace JobServer.Storage.MySql.Queue;

/// <summary>One <see cref="JobFetcher"/> per queue set in this process, and the in-process wake-up after an enqueue.</summary>
internal sealed class FetcherRegistry(MySqlStorage storage) : IDisposable
{
    private readonly ConcurrentDictionary<string, JobFetcher> _fetchers = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _disposed = new();

    public JobFetcher For(string[] queues)
    {
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
        return _fetchers.GetOrAdd(string.Join('\n', queues), _ => new JobFetcher(storage, queues, _disposed.Token));
    }

    /// <summary>A commit in this process put a job on <paramref name="queue"/>: wake the fetchers that serve it.</summary>
    public void NotifyEnqueued(string queue)
    {
        foreach (var fetcher in _fetchers.Values)
            if (fetcher.Serves(queue)) fetcher.Wake();
    }

    public void NotifyAll()
    {
        foreach (var fetcher in _fetchers.Values) fetcher.Wake();
    }

    public void Dispose()
    {
        if (_disposed.IsCancellationRequested) return;
        _disposed.Cancel();
        foreach (var fetcher in _fetchers.Values) fetcher.Wake();
    }
}
