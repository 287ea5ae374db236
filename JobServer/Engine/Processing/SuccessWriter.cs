using System.Threading.Channels;
using JobServer.Storage;
using Microsoft.Extensions.Options;

namespace JobServer.Engine.Processing;

/// <summary>
/// Group commit for successes: executors hand their outcome over and await it; one writer records everything that
/// arrived while the previous batch was being written, in one transaction. Under load a commit (and its fsync)
/// serves dozens of jobs instead of one; when idle a batch is a single job and nothing waits. Durability is unchanged:
/// an executor's await completes only after its job's outcome is committed.
/// </summary>
internal sealed class SuccessWriter : IAsyncDisposable
{
    private const int MaxBatch = 200;

    private readonly Channel<Pending> _pending = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IJobQueue _queue;
    private readonly ServerIdentity _server;
    private readonly JobServerOptions _options;
    private readonly TimeProvider _time;
    private readonly Lazy<Task> _writer;

    public SuccessWriter(IJobQueue queue, ServerIdentity server, IOptions<JobServerOptions> options, TimeProvider time)
    {
        _queue = queue;
        _server = server;
        _options = options.Value;
        _time = time;
        _writer = new Lazy<Task>(() => Task.Run(WriteAsync));
    }

    /// <summary>Completes with whether the success was recorded (false: the claim was lost), once it is committed.
    /// Throws what the write threw (e.g. the database is down); the caller retries.</summary>
    public Task<bool> RecordAsync(ClaimedJob job, string? resultJson)
    {
        var pending = new Pending(new SucceededJob(job, resultJson));
        if (!_pending.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(SuccessWriter));
        }

        _ = _writer.Value;
        return pending.Done.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        if (_writer.IsValueCreated)
        {
            await _writer.Value.ConfigureAwait(false);
        }
    }

    private async Task WriteAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _pending.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _pending.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            try
            {
                var now = _time.GetUtcNow().UtcDateTime;
                var recorded = _queue.SetSucceededIfClaimed(batch.Select(p => p.Job).ToList(), _server.Id, now, now + _options.SucceededRetention);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Done.TrySetResult(recorded[i]);
                }
            }
            catch (Exception ex)
            {
                // Every job of a failed batch is retried by its own executor, which re-queues it here.
                foreach (var pending in batch)
                {
                    pending.Done.TrySetException(ex);
                }
            }
        }
    }

    private sealed record Pending(SucceededJob Job)
    {
        public TaskCompletionSource<bool> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
