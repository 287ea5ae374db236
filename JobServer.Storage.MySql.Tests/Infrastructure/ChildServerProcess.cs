using System.Diagnostics;
using JobServer.Storage.MySql.Tests.Child;

namespace JobServer.Storage.MySql.Tests.Infrastructure;

/// <summary>
/// A Hangfire server in another OS process (JobServer.Storage.MySql.Tests.Child, copied next to the test assembly by
/// the project reference), on its own storage instance. It runs with the test assembly's dependency graph and
/// runtimeconfig: the child's own deps.json names package files (Microsoft.Extensions.Logging.Abstractions 8) that the
/// test output does not hold, because the test project takes them from the ASP.NET Core shared framework. <see cref="Kill"/> is SIGKILL: no shutdown code runs, as when
/// a machine dies. Disposing kills it too, so no child outlives its test.
/// </summary>
internal sealed class ChildServerProcess : IDisposable
{
    private readonly Process _process;

    private ChildServerProcess(Process process) => _process = process;

    public int Pid => _process.Id;

    public static async Task<ChildServerProcess> StartAsync(string connectionString, ChildArguments arguments, TimeSpan readyTimeout)
    {
        var dll = typeof(E2EJobs).Assembly.Location;
        var tests = typeof(ChildServerProcess).Assembly.Location;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add("--runtimeconfig");
        start.ArgumentList.Add(Path.ChangeExtension(tests, ".runtimeconfig.json"));
        start.ArgumentList.Add("--depsfile");
        start.ArgumentList.Add(Path.ChangeExtension(tests, ".deps.json"));
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments.ToArgs()) start.ArgumentList.Add(argument);
        start.Environment[ChildArguments.ConnectionStringVariable] = connectionString;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start dotnet {dll}.");
        var child = new ChildServerProcess(process);
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(readyTimeout);
            if (line != ChildArguments.ReadyLine)
                throw new InvalidOperationException($"The child server did not start: '{line}'. {await errors.WaitAsync(TimeSpan.FromSeconds(5))}");
        }
        catch
        {
            child.Dispose();
            throw;
        }
        return child;
    }

    /// <summary>SIGKILL to the child and anything it started; returns when it is gone.</summary>
    public void Kill()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public bool HasExited => _process.HasExited;

    public void Dispose()
    {
        try { Kill(); }
        catch (InvalidOperationException) { }
        _process.Dispose();
    }
}
