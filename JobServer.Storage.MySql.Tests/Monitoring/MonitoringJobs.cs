using System.Collections.Concurrent;
using Hangfire;

namespace JobServer.Storage.MySql.Tests.Monitoring;

/// <summary>The jobs the monitoring and dashboard scenarios create; each test uses its own gate names.</summary>
public static class MonitoringJobs
{
    private static readonly ConcurrentDictionary<string, ManualResetEventSlim> Gates = new();

    public static void Noop()
    {
    }

    public static string Succeed(string result) => result;

    [AutomaticRetry(Attempts = 0)]
    public static void Fail(string message) => throw new InvalidOperationException(message);

    // One retry an hour later: the job sits in the retries set for the whole test.
    [AutomaticRetry(Attempts = 1, DelaysInSeconds = [3600])]
    public static void FailAndRetry(string message) => throw new InvalidOperationException(message);

    /// <summary>Runs until the test opens the gate (or a minute passes, so a failed test never hangs a worker).</summary>
    public static void Block(string gate) => Gate(gate).Wait(TimeSpan.FromMinutes(1));

    public static void Open(string gate) => Gate(gate).Set();

    private static ManualResetEventSlim Gate(string name) => Gates.GetOrAdd(name, _ => new ManualResetEventSlim());
}
