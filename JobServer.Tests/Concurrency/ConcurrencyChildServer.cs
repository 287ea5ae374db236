using System.Diagnostics;
using JobServer.Tests.ConcurrencyChild;

namespace JobServer.Tests.Concurrency;

/// <summary>
/// A Hangfire server with the concurrency filter in another OS process (JobServer.Tests.ConcurrencyChild, copied next to
/// the test assembly by the project reference), on its own MySqlStorage instance. It runs on the test assembly's
/// runtimeconfig and dependency graph, which hold everything the child needs. <see cref="KillHard"/> is SIGKILL: no
/// shutdown code runs, as when a machine dies; disposing kills it too, so no child outlives its test.
/// </summary>
internal sealed class ConcurrencyChildServer : IDisposable
{
    private readonly Process _process;

    private ConcurrencyChildServer(Process process) => _process = process;

    public static async Task<ConcurrencyChildServer> StartAsync(string connectionString, string queue, string serverName)
    {
        var tests = typeof(ConcurrencyChildServer).Assembly.Location;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "exec", "--runtimeconfig", Path.ChangeExtension(tests, ".runtimeconfig.json"), "--depsfile", Path.ChangeExtension(tests, ".deps.json"),
            typeof(ChildProgram).Assembly.Location, queue, serverName,
        })
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment[ChildProgram.ConnectionStringVariable] = connectionString;

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the concurrency child server.");
        var child = new ConcurrencyChildServer(process);
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            if (line != ChildProgram.ReadyLine)
            {
                throw new InvalidOperationException($"The child server did not start: '{line}'. {await errors.WaitAsync(TimeSpan.FromSeconds(5))}");
            }
        }
        catch
        {
            child.Dispose();
            throw;
        }
        return child;
    }

    public bool HasExited => _process.HasExited;

    /// <summary>SIGKILL; returns when the process is gone.</summary>
    public void KillHard()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    public void Dispose()
    {
        KillHard();
        _process.Dispose();
    }
}
