using System.Collections.Concurrent;
using JobServer.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JobServer.Engine.Processing;

/// <summary>
/// Claims jobs for idle workers and starts them. Never claims more jobs than there are idle slots, so a claimed job
/// never waits behind another on this server while a different server could have run it. Queues are fetched in
/// their configured priority order. Wakes at once on an in-process enqueue or a freed slot with a backlog;
/// otherwise polls, from 25 ms after work was found up to <see cref="JobServerOptions.PollInterval"/> when idle.
/// </summary>
internal sealed partial class JobDispatcher
{
    internal static readonly TimeSpan MinPollInterval = TimeSpan.FromMilliseconds(25);

    private readonly IJobQueue _queue;
    private readonly JobExecutor _executor;
    private readonly EngineSignals _signals;
    private readonly ServerIdentity _server;
    private readonly JobServerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<JobDispatcher> _logger;
    private readonly ConcurrentDictionary<long, Task> _executions = new();

    /// <summary>Held while claiming and starting: between the two, a committed claim is not yet an execution.</summary>
    private readonly Lock _claiming = new();

    public JobDispatcher(
        IJobQueue queue,
        JobExecutor executor,
        EngineSignals signals,
        ServerIdentity server,
        IOptions<JobServerOptions> options,
        TimeProvider time,
        ILogger<JobDispatcher> logger)
    {
        _queue = queue;
        _executor = executor;
        _signals = signals;
        _server = server;
        _options = options.Value;
        _time = time;
        _logger = logger;
        Queues = _options.EffectiveQueues().Select(q => new QueueWorkers(q.Name, q.EffectiveWorkers)).ToList();
    }

    public IReadOnlyList<QueueWorkers> Queues { get; }

    public int Busy => Queues.Sum(q => q.Busy);

    public int Workers => Queues.Sum(q => q.Workers);

    /// <summary>Executions still running, for shutdown to wait on.</summary>
    public ICollection<Task> Executions => _executions.Values;

    /// <summary>Signalled when the server gives up recording outcomes of executions still running.</summary>
    public CancellationTokenSource Abandon { get; } = new();

    /// <summary>
    /// Runs <paramref name="reconcile"/> with the ids of every job this server is executing, while no claim is under
    /// way. A job the database shows claimed by this server but missing from the ids is then one the server does not
    /// know it holds.
    /// </summary>
    public T WhileNoClaimIsUnderWay<T>(Func<IReadOnlyCollection<long>, T> reconcile)
    {
        lock (_claiming)
        {
            return reconcile(_executions.Keys.ToList());
        }
    }

    /// <summary>One round: for each queue in priority order, claim as many jobs as it has idle workers, and start them.</summary>
    public int RunOnce()
    {
        lock (_claiming)
        {
            return ClaimAndStart();
        }
    }

    private int ClaimAndStart()
    {
        var started = 0;
        foreach (var workers in Queues)
        {
            var idle = workers.Idle;
            if (idle <= 0)
            {
                continue;
            }

            var wanted = Math.Min(idle, _options.FetchBatchSize);
            var jobs = _queue.Claim(workers.Queue, _server.Id, wanted, _time.GetUtcNow().UtcDateTime);
            workers.Backlogged = jobs.Count == wanted;
            foreach (var job in jobs)
            {
                Start(workers, job);
            }

            started += jobs.Count;
        }

        return started;
    }

    public async Task RunAsync(CancellationToken stopping)
    {
        var delay = MinPollInterval;
        var failures = 0;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var started = RunOnce();
                failures = 0;
                if (Queues.Any(q => q.Backlogged && q.Idle > 0))
                {
                    continue;
                }

                delay = started > 0 ? MinPollInterval : Next(delay);
                if (await _signals.WorkAvailable.WaitAsync(BackgroundLoop.Jitter(delay), _time, stopping).ConfigureAwait(false))
                {
                    delay = MinPollInterval;
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                var backoff = BackgroundLoop.Backoff(++failures);
                if (ex is StorageUnavailableException)
                {
                    LogDatabaseUnavailable(_logger, backoff, ex.Message);
                }
                else
                {
                    LogFetchFailed(_logger, ex, backoff);
                }

                try
                {
                    // A job created in this process means the database answers again: no need to sit out the backoff.
                    await _signals.WorkAvailable.WaitAsync(backoff, _time, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    private TimeSpan Next(TimeSpan delay) => TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.PollInterval.Ticks));

    private void Start(QueueWorkers workers, ClaimedJob job)
    {
        workers.Take();
        var execution = Task.Run(() => _executor.ExecuteAsync(job, Abandon.Token));
        _executions[job.Id] = execution;
        execution.ContinueWith(
            _ =>
            {
                _executions.TryRemove(job.Id, out Task? _);
                workers.Give();
                if (workers.Backlogged)
                {
                    _signals.WorkAvailable.Set();
                }
            },
            TaskScheduler.Default);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fetching paused: database unavailable ({Error}); retrying in {Delay}")]
    private static partial void LogDatabaseUnavailable(ILogger logger, TimeSpan delay, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Fetching failed; retrying in {Delay}")]
    private static partial void LogFetchFailed(ILogger logger, Exception exception, TimeSpan delay);
}
