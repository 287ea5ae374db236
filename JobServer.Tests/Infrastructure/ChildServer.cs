using System.Diagnostics;

namespace JobServer.Tests.Infrastructure;

/// <summary>
/// A real JobServer process (the built JobServer.dll) on the test database, so a test can kill it with SIGKILL —
/// no finally block, no shutdown hook, exactly what a crashed machine leaves behind.
/// </summary>
public sealed class ChildServer : IDisposable
{
    private readonly Process _process;

    private ChildServer(Process process) => _process = process;

    public static ChildServer Start(string connectionString, string serverName)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "JobServer.dll"), "--urls", "http://127.0.0.1:0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ConnectionStrings__JobServer"] = connectionString;
        start.Environment["JobServer__ServerName"] = serverName;
        start.Environment["JobServer__HeartbeatInterval"] = "00:00:00.200";
        start.Environment["JobServer__ServerTimeout"] = "00:00:02";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start JobServer.dll");
        // Drain the pipes so the child never blocks on a full buffer.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ChildServer(process);
    }

    public bool HasExited => _process.HasExited;

    /// <summary>SIGKILL: the process gets no chance to release anything.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            KillHard();
        }

        _process.Dispose();
    }
}
