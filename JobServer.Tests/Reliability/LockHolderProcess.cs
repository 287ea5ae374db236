using System.Diagnostics;
using JobServer.Tests.SoakChild;

namespace JobServer.Tests.Reliability;

/// <summary>A process (JobServer.Tests.SoakChild in <c>hold-lock</c> mode) that takes Hangfire distributed locks
/// through the storage and waits; <see cref="KillHard"/> is SIGKILL.</summary>
internal sealed class LockHolderProcess : IDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _output = [];

    private LockHolderProcess(Process process) => _process = process;

    public static async Task<LockHolderProcess> StartAsync(string connectionString, params string[] resources)
    {
        var tests = typeof(LockHolderProcess).Assembly.Location;
        var start = new ProcessStartInfo("dotnet", [
            "exec", "--runtimeconfig", Path.ChangeExtension(tests, ".runtimeconfig.json"), "--depsfile", Path.ChangeExtension(tests, ".deps.json"),
            typeof(LockHolder).Assembly.Location, LockHolder.Command, .. resources])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ConnectionStrings__JobServer"] = connectionString;
        var holder = new LockHolderProcess(Process.Start(start)!);
        holder._process.OutputDataReceived += (_, e) => holder.Observe(e.Data);
        holder._process.ErrorDataReceived += (_, e) => holder.Observe(e.Data);
        holder._process.BeginOutputReadLine();
        holder._process.BeginErrorReadLine();
        if (await Task.WhenAny(holder._ready.Task, holder._process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(30))) != holder._ready.Task)
        {
            holder.Dispose();
            throw new InvalidOperationException("the lock holder did not take its locks:\n" + string.Join('\n', holder._output));
        }

        return holder;
    }

    public void KillHard()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    public void Dispose()
    {
        if (!_process.HasExited) KillHard();
        _process.Dispose();
    }

    private void Observe(string? line)
    {
        if (line is null) return;
        lock (_output) _output.Add(line);
        if (line == LockHolder.ReadyLine) _ready.TrySetResult();
    }
}
