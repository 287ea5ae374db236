using Hangfire;

namespace JobServer.Storage.MySql.Tests.Infrastructure;

/// <summary>
/// Hangfire servers for end-to-end tests: every loop that a test waits on polls within a fraction of a second, and
/// the storage is always passed explicitly (tests of different classes run in parallel on different databases).
/// </summary>
internal static class TestServers
{
    public static BackgroundJobServerOptions Options(int workers = 2, string name = "e2e") => new()
    {
        ServerName = $"{name}-{Guid.NewGuid():N}",
        WorkerCount = workers,
        SchedulePollingInterval = TimeSpan.FromMilliseconds(200),
        HeartbeatInterval = TimeSpan.FromSeconds(1),
        CancellationCheckInterval = TimeSpan.FromMilliseconds(200),
        ShutdownTimeout = TimeSpan.FromSeconds(5),
    };

    public static BackgroundJobServer Start(JobStorage storage, int workers = 2, Action<BackgroundJobServerOptions>? configure = null)
    {
        var options = Options(workers);
        configure?.Invoke(options);
        return new BackgroundJobServer(options, storage);
    }

    /// <summary>Options for a storage whose recovery a test waits for; keep-alive a third of the timeout, as required.</summary>
    public static MySqlStorageOptions FastRecovery(TimeSpan invisibilityTimeout, TimeSpan keepAliveInterval) => new()
    {
        InvisibilityTimeout = invisibilityTimeout,
        KeepAliveInterval = keepAliveInterval,
    };
}
