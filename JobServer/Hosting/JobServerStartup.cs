using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Common;
using JobServer.Jobs;
using JobServer.Storage.MySql;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace JobServer.Hosting;

/// <summary>
/// Brings the database up to date and runs this process's Hangfire servers for the lifetime of the host. Start-up does
/// not wait for MySQL: the host serves HTTP at once (requests that need the database answer 503), and this keeps
/// trying in the background — schema, start-up steps, then one <see cref="BackgroundJobServer"/> per pool.
/// At shutdown each server's jobs get <see cref="JobServerOptions.ShutdownTimeout"/> to stop.
/// </summary>
internal sealed partial class JobServerStartup(
    IServiceProvider services,
    IOptions<JobServerOptions> options,
    ILogger<JobServerStartup> logger) : IHostedService
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _stopping = new();
    private readonly List<BackgroundJobServer> _servers = [];
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _starting;

    /// <summary>Completes when the schema is installed and the servers (if any) have started.</summary>
    public Task Ready => _ready.Task;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _starting = Task.Run(() => StartWhenDatabaseAnswersAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_starting is not null) await _starting;

        List<BackgroundJobServer> servers;
        // Taken out of the list: the host may call StopAsync more than once (a test host does).
        lock (_servers)
        {
            servers = [.. _servers];
            _servers.Clear();
        }

        // Signal every server first, so their jobs stop together rather than one server's after another's.
        foreach (var server in servers) server.SendStop();
        foreach (var server in servers)
        {
            await server.WaitForShutdownAsync(cancellationToken);
            server.Dispose();
        }
    }

    private async Task StartWhenDatabaseAnswersAsync(CancellationToken stopping)
    {
        var delay = TimeSpan.FromMilliseconds(250);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await PrepareDatabaseAsync(stopping);
                if (options.Value.ProcessJobs) StartServers();
                _ready.TrySetResult();
                return;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is MySqlException or TimeoutException or IOException)
            {
                LogDatabaseNotReady(logger, ex.Message, delay);
            }

            try
            {
                await Task.Delay(delay, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
        }
    }

    private async Task PrepareDatabaseAsync(CancellationToken stopping)
    {
        await ApiDataSchema.InstallAsync(services.GetRequiredService<ApiDataDatabase>(), stopping);
        services.GetRequiredService<MySqlStorage>().PrepareSchema();
        foreach (var step in services.GetServices<IStartupStep>())
        {
            await step.RunAsync(stopping);
        }
    }

    private void StartServers()
    {
        var settings = options.Value;
        var storage = services.GetRequiredService<JobStorage>();
        foreach (var pool in settings.EffectiveServers())
        {
            var serverOptions = settings.ServerOptionsFor(pool);
            // This host's own activator: Hangfire's JobActivator.Current is process-wide, and the last host to
            // configure Hangfire would otherwise resolve every host's jobs from its container.
            serverOptions.Activator = new AspNetCoreJobActivator(services.GetRequiredService<IServiceScopeFactory>());
            serverOptions.FilterProvider = services.GetRequiredService<IJobFilterProvider>();
            serverOptions.TimeZoneResolver = services.GetService<ITimeZoneResolver>();
            var server = new BackgroundJobServer(serverOptions, storage);
            lock (_servers) _servers.Add(server);
            LogServerStarted(logger, settings.ServerNameOf(pool), string.Join(", ", pool.Queues), pool.EffectiveWorkers);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database is not ready ({Reason}); trying again in {Delay}.")]
    private static partial void LogDatabaseNotReady(ILogger logger, string reason, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "Hangfire server {Name} started on queues {Queues} with {Workers} workers.")]
    private static partial void LogServerStarted(ILogger logger, string name, string queues, int workers);
}
