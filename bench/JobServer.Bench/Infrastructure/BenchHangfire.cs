using Hangfire;
using JobServer.Dashboard;
using JobServer.Hosting;
using Microsoft.Extensions.Logging;

namespace JobServer.Bench;

/// <summary>Hangfire's process-wide settings as the host applies them (<c>UseJobServerDefaults</c>: serializer, camelCase
/// user data, the type allow-list; the dashboard's progress renderer), with the bench's job allowed and warnings logged.</summary>
internal static class BenchHangfire
{
    private static int _configured;

    public static ILoggerFactory Logging { get; } = LoggerFactory.Create(logging => logging
        .AddSimpleConsole(o => o.SingleLine = true)
        .SetMinimumLevel(LogLevel.Warning));

    public static void Configure()
    {
        if (Interlocked.Exchange(ref _configured, 1) == 1) return;
        AllowedJobTypes.Allow(typeof(NoopJob));
        GlobalConfiguration.Configuration
            .UseLogProvider(new HostLogProvider(Logging))
            .UseJobServerDefaults()
            .UseJobProgressOnDashboard();
    }
}
