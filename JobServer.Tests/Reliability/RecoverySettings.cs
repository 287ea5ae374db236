namespace JobServer.Tests.Reliability;

/// <summary>
/// Configuration for child JobServer processes (environment variables) that makes a dead server's jobs come back
/// in seconds instead of a minute: one pool of <paramref name="workers"/> on the default queue, heartbeats and
/// watchdog checks in fractions of a second, and a 5 s invisibility timeout (keep-alive every second) after which the
/// storage hands a dead process's jobs to the others. The margins stay wide enough that a busy 2-core machine never
/// lets a live server's keep-alive lapse: that would be a second run the tests must not excuse.
/// </summary>
internal static class RecoverySettings
{
    public static Dictionary<string, string> Fast(int workers) => new()
    {
        ["JobServer__Servers__0__Name"] = "default",
        ["JobServer__Servers__0__Queues__0"] = "default",
        ["JobServer__Servers__0__Workers"] = workers.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["JobServer__HeartbeatInterval"] = "00:00:00.500",
        ["JobServer__ServerTimeout"] = "00:00:04",
        ["JobServer__ServerCheckInterval"] = "00:00:01",
        ["JobServer__Storage__InvisibilityTimeout"] = "00:00:05",
        ["JobServer__Storage__KeepAliveInterval"] = "00:00:01",
    };
}
