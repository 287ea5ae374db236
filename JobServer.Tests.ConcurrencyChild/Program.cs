using Hangfire;
using JobServer.Storage.MySql;

namespace JobServer.Tests.ConcurrencyChild;

/// <summary>Usage: &lt;queue&gt; &lt;server name&gt;; the connection string comes from the environment, so it never shows in <c>ps</c>.</summary>
public static class ChildProgram
{
    public const string ConnectionStringVariable = "JOBSERVER_CONCURRENCY_CHILD_DB";
    public const string ReadyLine = "ready";

    public static void Main(string[] args)
    {
        var connectionString = Environment.GetEnvironmentVariable(ConnectionStringVariable)
            ?? throw new InvalidOperationException($"{ConnectionStringVariable} is not set.");
        Environment.SetEnvironmentVariable(KilledServerJobs.BlockVariable, "1");

        var storage = new MySqlStorage(connectionString, new MySqlStorageOptions
        {
            InvisibilityTimeout = TimeSpan.FromSeconds(3),
            KeepAliveInterval = TimeSpan.FromSeconds(1),
        });
        using var server = new BackgroundJobServer(
            new BackgroundJobServerOptions { Queues = [args[0]], ServerName = args[1], WorkerCount = 1 },
            storage);
        Console.WriteLine(ReadyLine);
        // Runs until killed: the test ends this process with SIGKILL, never gracefully.
        Thread.Sleep(Timeout.Infinite);
    }
}
