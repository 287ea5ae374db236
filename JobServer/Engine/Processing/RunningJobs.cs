using System.Collections.Concurrent;
using JobServer.Storage;

namespace JobServer.Engine.Processing;

/// <summary>Why a running job's token was signalled; decides what its worker records afterwards.</summary>
internal enum CancelReason
{
    /// <summary>An operator deleted it: the job is already Deleted, nothing more to write.</summary>
    Deleted,

    /// <summary>This server no longer holds its claim (recovered by another server): nothing more to write.</summary>
    ClaimLost,

    /// <summary>The server is shutting down: the job goes back to its queue.</summary>
    Shutdown,

    /// <summary>The attempt ran past its type's timeout: a failed attempt.</summary>
    Timeout,
}

internal sealed class RunningJob(ClaimedJob job, CancellationTokenSource cancellation)
{
    private int _reason = -1;

    public ClaimedJob Job { get; } = job;

    public CancellationToken Token => cancellation.Token;

    /// <summary>The first reason given wins; a deleted job stays deleted even if shutdown follows.</summary>
    public CancelReason? Reason => _reason < 0 ? null : (CancelReason)_reason;

    public void Cancel(CancelReason reason)
    {
        Interlocked.CompareExchange(ref _reason, (int)reason, -1);
        try
        {
            cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Finished in the meantime.
        }
    }
}

/// <summary>The jobs executing in this process, so deletes, lost claims and shutdown can reach their tokens.</summary>
internal sealed class RunningJobs
{
    private readonly ConcurrentDictionary<long, RunningJob> _jobs = new();

    public int Count => _jobs.Count;

    public IReadOnlyCollection<long> Ids => _jobs.Keys.ToList();

    public IReadOnlyCollection<RunningJob> All => _jobs.Values.ToList();

    public void Add(RunningJob job) => _jobs[job.Job.Id] = job;

    public void Remove(long id) => _jobs.TryRemove(id, out _);

    public bool Cancel(long id, CancelReason reason)
    {
        if (!_jobs.TryGetValue(id, out var job))
        {
            return false;
        }

        job.Cancel(reason);
        return true;
    }

    public void CancelAll(CancelReason reason)
    {
        foreach (var job in _jobs.Values)
        {
            job.Cancel(reason);
        }
    }
}
