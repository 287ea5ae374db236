using JobServer.Engine;
using JobServer.Storage;
using JobServer.Storage.MySql;

namespace JobServer.Hosting;

/// <summary>
/// Brings the schema up to date and runs the engine for the lifetime of the host. If the database is not reachable
/// at start-up the host still starts (the API answers 503, /health says why) and this keeps trying in the background.
/// </summary>
internal sealed partial class JobServerHostedService(
    SchemaMigrator migrator,
    RecurringJobSeeder recurring,
    JobServerEngine? engine,
    TimeProvider time,
    ILogger<JobServerHostedService> logger) : IHostedService
{
    private readonly CancellationTokenSource _stopping = new();
    private Task? _starting;

    /// <summary>Pool threads kept ready for API requests even when this host processes no jobs.</summary>
    internal const int RequestThreads = 64;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Each API request holds a pool thread through its synchronous database calls (and concurrent creates wait in
        // line for a shared commit), also in a host that processes no jobs.
        ThreadHeadroom.AtLeast(RequestThreads);
        _starting = Task.Run(() => StartWhenDatabaseAnswersAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_starting is not null)
        {
            await _starting;
        }

        if (engine is not null)
        {
            await engine.StopAsync(cancellationToken);
        }
    }

    private async Task StartWhenDatabaseAnswersAsync(CancellationToken stopping)
    {
        for (var failures = 1; !stopping.IsCancellationRequested; failures++)
        {
            try
            {
                var applied = migrator.Migrate();
                if (applied.Count > 0)
                {
                    LogMigrated(logger, string.Join(", ", applied));
                }

                recurring.Apply();

                if (engine is not null)
                {
                    await engine.StartAsync();
                }

                return;
            }
            catch (StorageUnavailableException ex)
            {
                var delay = BackgroundLoop.Backoff(failures);
                LogWaitingForDatabase(logger, ex.Message, delay);
                try
                {
                    await Task.Delay(delay, time, stopping);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied schema scripts {Versions}")]
    private static partial void LogMigrated(ILogger logger, string versions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database unavailable at start-up ({Error}); retrying in {Delay}")]
    private static partial void LogWaitingForDatabase(ILogger logger, string error, TimeSpan delay);
}
