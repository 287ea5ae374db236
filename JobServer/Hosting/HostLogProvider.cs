using Hangfire.Logging;
using HangfireLogLevel = Hangfire.Logging.LogLevel;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace JobServer.Hosting;

/// <summary>
/// Hangfire's log output into the host's <see cref="ILoggerFactory"/>, like Hangfire.AspNetCore's own provider, but
/// silent once that factory is disposed: Hangfire's log provider is process-wide, and a server of another host in the
/// same process (tests run several) must not fail for writing to the logger of a host that already stopped.
/// </summary>
internal sealed class HostLogProvider(ILoggerFactory factory) : ILogProvider
{
    public ILog GetLogger(string name) => new HostLog(factory, name);

    private sealed class HostLog(ILoggerFactory factory, string name) : ILog
    {
        private ILogger? _logger;

        public bool Log(HangfireLogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            try
            {
                var logger = _logger ??= factory.CreateLogger(name);
                var level = ToLogLevel(logLevel);
                if (messageFunc is null) return logger.IsEnabled(level);
                if (!logger.IsEnabled(level)) return false;
#pragma warning disable CA2254 // Hangfire hands over finished messages, not templates.
                logger.Log(level, 0, exception, messageFunc());
#pragma warning restore CA2254
                return true;
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }

        private static LogLevel ToLogLevel(HangfireLogLevel level) => level switch
        {
            HangfireLogLevel.Trace => LogLevel.Trace,
            HangfireLogLevel.Debug => LogLevel.Debug,
            HangfireLogLevel.Info => LogLevel.Information,
            HangfireLogLevel.Warn => LogLevel.Warning,
            HangfireLogLevel.Error => LogLevel.Error,
            _ => LogLevel.Critical,
        };
    }
}
