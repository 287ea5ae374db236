using JobServer.Storage;
using Microsoft.Extensions.Logging;

namespace JobServer.Engine;

/// <summary>
/// Runs a background process until stopped. Nothing escapes: a failure is logged and the loop backs off
/// (a database outage pauses the process, it does not end it — an exception leaving a hosted service would stop the
/// whole host). Shutdown is told apart from failures by the stopping token.
/// </summary>
internal static partial class BackgroundLoop
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    public static async Task RunAsync(IBackgroundProcess process, TimeProvider time, ILogger logger, CancellationToken stopping)
    {
        var failures = 0;
        while (!stopping.IsCancellationRequested)
        {
            TimeSpan delay;
            try
            {
                var done = await process.RunOnceAsync(stopping).ConfigureAwait(false);
                if (failures > 0)
                {
                    LogRecovered(logger, process.Name, failures);
                }

                failures = 0;
                delay = done >= process.BatchSize ? TimeSpan.Zero : Jitter(process.Interval);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (StorageUnavailableException ex)
            {
                delay = Backoff(++failures);
                LogDatabaseUnavailable(logger, process.Name, delay, ex.Message);
            }
            catch (Exception ex)
            {
                delay = Backoff(++failures);
                LogFailed(logger, ex, process.Name, delay);
            }

            if (delay > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(delay, time, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    /// <summary>1 s, 2 s, 4 s … up to 30 s, so an outage costs the database one attempt per process per half minute.</summary>
    internal static TimeSpan Backoff(int failures) =>
        TimeSpan.FromMilliseconds(Math.Min(MaxBackoff.TotalMilliseconds, 1000 * Math.Pow(2, Math.Min(failures - 1, 10))));

    /// <summary>±10 %, so servers started together do not poll in lockstep.</summary>
    internal static TimeSpan Jitter(TimeSpan interval) =>
        TimeSpan.FromMilliseconds(interval.TotalMilliseconds * (0.9 + 0.2 * Random.Shared.NextDouble()));

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Process}: database unavailable ({Error}); pausing {Delay}")]
    private static partial void LogDatabaseUnavailable(ILogger logger, string process, TimeSpan delay, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Process} failed; retrying in {Delay}")]
    private static partial void LogFailed(ILogger logger, Exception exception, string process, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Process} is working again after {Failures} failed runs")]
    private static partial void LogRecovered(ILogger logger, string process, int failures);
}
