using System.Diagnostics;
using MySqlConnector;

namespace JobServer.Tests.Infrastructure;

/// <summary>Stops and starts the test MariaDB instance itself (the one scripts/test.sh started), for outage tests.
/// Uses the same scripts/db.sh functions as the test command, so the restarted server is configured identically.</summary>
public static class TestMariaDb
{
    public static void Stop() => RunDbScript("db_stop \"$JOBSERVER_TEST_DB_DATADIR\"");

    /// <summary>Stops the instance on <paramref name="dataDirectory"/> (a private one a test started itself).</summary>
    public static void Stop(string dataDirectory) => RunDbScript("db_stop \"$DATADIR\"", new() { ["DATADIR"] = dataDirectory });

    /// <summary>Starts the instance on <paramref name="dataDirectory"/> again, as <see cref="Start()"/> does.</summary>
    public static void Start(string dataDirectory, int port)
    {
        RunDbScript("db_start \"$DATADIR\" \"$PORT\"", new() { ["DATADIR"] = dataDirectory, ["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        MySqlConnection.ClearAllPools();
    }

    /// <summary>Starts the instance again and empties this process's connection pools, whose connections all died
    /// with the old server (the test's own reads would otherwise meet them first).</summary>
    public static void Start()
    {
        RunDbScript("db_start \"$JOBSERVER_TEST_DB_DATADIR\" \"$JOBSERVER_TEST_DB_PORT\"");
        MySqlConnection.ClearAllPools();
    }

    /// <summary>Runs <paramref name="command"/> after sourcing scripts/db.sh; returns what it wrote to stdout.</summary>
    internal static string RunDbScript(string command, Dictionary<string, string>? environment = null)
    {
        if (environment is null && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("JOBSERVER_TEST_DB_DATADIR")))
        {
            throw new InvalidOperationException("JOBSERVER_TEST_DB_DATADIR is not set: run the tests with scripts/test.sh, which owns the test MariaDB.");
        }

        var script = Path.Combine(RepositoryRoot(), "scripts", "db.sh");
        var start = new ProcessStartInfo("bash", ["-c", $"source '{script}' && {command}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in environment ?? [])
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(90)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{command}' did not finish in 90 s.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{command}' failed ({process.ExitCode}): {output.Result} {error.Result}");
        }

        return output.Result;
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "JobServer.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Could not find the repository root (JobServer.sln) above " + AppContext.BaseDirectory);
    }
}
