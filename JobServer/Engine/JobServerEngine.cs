using JobServer.Engine.Maintenance;
using JobServer.Engine.Processing;
using JobServer.Engine.Scheduling;
using JobServer.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JobServer.Engine;

/// <summary>
/// One job server: registers itself, fetches and runs jobs, and shares the cluster's chores (promoting due jobs,
/// recovering dead servers, expiring history). Any number of engines may share one database.
/// </summary>
public sealed partial class JobServerEngine : IAsyncDisposable
{
    private readonly JobDispatcher _dispatcher;
    private readonly ServerHeartbeat _heartbeat;
    private readonly IReadOnlyList<IBackgroundProcess> _chores;
    private readonly IReadOnlyList<IBackgroundProcess> _liveness;
    private readonly RunningJobs _running;
    private readonly IJobQueue _queue;
    private readonly IServerStore _servers;
    private readonly ServerIdentity _server;
    private readonly JobServerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger<JobServerEngine> _logger;
    private readonly CancellationTokenSource _fetching = new();
    private readonly CancellationTokenSource _alive = new();
    private readonly List<Task> _loops = [];
    private int _state; // 0 new, 1 running, 2 stopped
    private Task? _stopping;

    internal JobServerEngine(
        JobDispatcher dispatcher,
        ServerHeartbeat heartbeat,
        LostClaimWatcher lostClaims,
        ScheduledJobPromoter promoter,
        RecurringScheduler recurring,
        DeadServerRecovery recovery,
        JobExpiration expiration,
        CounterAggregation counters,
        RunningJobs running,
        IJobQueue queue,
        IServerStore servers,
        ServerIdentity server,
        IOptions<JobServerOptions> options,
        TimeProvider time,
        ILoggerFactory loggers)
    {
        _dispatcher = dispatcher;
        _heartbeat = heartbeat;
        _chores = [promoter, recurring, recovery, expiration, counters];
        _liveness = [heartbeat, lostClaims];
        _running = running;
        _queue = queue;
        _servers = servers;
        _server = server;
        _options = options.Value;
        _time = time;
        _loggers = loggers;
        _logger = loggers.CreateLogger<JobServerEngine>();
    }

    public ServerIdentity Server => _server;

    /// <summary>Registers the server and starts its loops. Throws <see cref="StorageUnavailableException"/> when the
    /// database cannot be reached; the caller retries.</summary>
    public Task StartAsync()
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            throw new InvalidOperationException("The engine was already started.");
        }

        // One blocked thread per worker, and room for everything else.
        ThreadHeadroom.AtLeast(_dispatcher.Workers + 32);

        _heartbeat.Announce();
        foreach (var process in _liveness)
        {
            _loops.Add(RunLoop(process, _alive.Token));
        }

        foreach (var process in _chores)
        {
            _loops.Add(RunLoop(process, _fetching.Token));
        }

        _loops.Add(Task.Run(() => _dispatcher.RunAsync(_fetching.Token)));
        LogStarted(_logger, _server.Id, string.Join(", ", _dispatcher.Queues.Select(q => $"{q.Queue}×{q.Workers}")));
        return Task.CompletedTask;
    }

    /// <summary>
    /// Graceful shutdown: stop fetching, signal running jobs' CancellationToken, give them
    /// <see cref="JobServerOptions.ShutdownTimeout"/> to finish, hand the unfinished back to the queue, deregister.
    /// </summary>
    public Task StopAsync(CancellationToken cancellationToken = default)
    {
        lock (_loops)
        {
            // Every caller (the host, DisposeAsync) awaits the one shutdown, so nothing is disposed under it.
            _stopping ??= Interlocked.Exchange(ref _state, 2) == 1 ? StopRunningAsync(cancellationToken) : Task.CompletedTask;
            return _stopping;
        }
    }

    private async Task StopRunningAsync(CancellationToken cancellationToken)
    {

        await _fetching.CancelAsync().ConfigureAwait(false);
        _running.CancelAll(CancelReason.Shutdown);
        var finished = Task.WhenAll(_dispatcher.Executions.ToList());
        var grace = Task.Delay(_options.ShutdownTimeout, _time, cancellationToken);
        await Task.WhenAny(finished, grace).ConfigureAwait(false);

        if (!finished.IsCompleted)
        {
            // These ignore their token: release their claims so other servers can run them now, and drop whatever
            // they report later (the claim guard would refuse it anyway).
            await _dispatcher.Abandon.CancelAsync().ConfigureAwait(false);
            var now = _time.GetUtcNow().UtcDateTime;
            foreach (var job in _running.All)
            {
                TryRelease(job.Job, now);
            }
        }

        await _alive.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_loops).ConfigureAwait(false);
        try
        {
            _servers.Remove(_server.Id);
        }
        catch (StorageUnavailableException ex)
        {
            LogDeregisterFailed(_logger, _server.Id, ex.Message);
        }

        LogStopped(_logger, _server.Id);
    }

    /// <summary>Stops every loop without releasing claims or deregistering: to the cluster, this server just went
    /// silent, as after a kill -9. Exists for tests of recovery.</summary>
    internal async Task SimulateCrashAsync()
    {
        lock (_loops)
        {
            Interlocked.Exchange(ref _state, 2);
            _stopping ??= Task.CompletedTask;
        }

        await _dispatcher.Abandon.CancelAsync().ConfigureAwait(false);
        await _alive.CancelAsync().ConfigureAwait(false);
        await _fetching.CancelAsync().ConfigureAwait(false);
        _running.CancelAll(CancelReason.ClaimLost);
        await Task.WhenAll(_loops).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _fetching.Dispose();
        _alive.Dispose();
    }

    private void TryRelease(ClaimedJob job, DateTime now)
    {
        try
        {
            _queue.ReleaseIfClaimed(job, _server.Id, "Server shut down before the job finished", now);
        }
        catch (StorageUnavailableException ex)
        {
            // Recovery after the heartbeat expires requeues it instead.
            LogReleaseFailed(_logger, job.Id, ex.Message);
        }
    }

    private Task RunLoop(IBackgroundProcess process, CancellationToken token) =>
        Task.Run(() => BackgroundLoop.RunAsync(process, _time, _loggers.CreateLogger(process.GetType()), token));

    [LoggerMessage(Level = LogLevel.Information, Message = "Job server {ServerId} started; queues {Queues}")]
    private static partial void LogStarted(ILogger logger, string serverId, string queues);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job server {ServerId} stopped")]
    private static partial void LogStopped(ILogger logger, string serverId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job server {ServerId} could not deregister ({Error}); it will be recovered as dead")]
    private static partial void LogDeregisterFailed(ILogger logger, string serverId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} could not be released at shutdown ({Error}); it is requeued when the heartbeat expires")]
    private static partial void LogReleaseFailed(ILogger logger, long jobId, string error);
}
