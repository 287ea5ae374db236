using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Hangfire;
using Hangfire.States;
using JobServer.Bench.Storages;
using JobServer.Jobs;

namespace JobServer.Bench.Cases;

/// <summary>
/// Peak resident memory of the real host: JobServer.dll (built in Release) started as a process on the bench database,
/// HTTP on a free loopback port, one pool of 50 workers on <c>default</c>, draining a backlog of the shipped
/// <c>sleep</c> job with 0 ms written before it started through Hangfire's client on the same storage. The figure is
/// the process's VmHWM (the kernel's own peak) read just before it is stopped with SIGTERM. Only for our MySQL storage:
/// the host runs on no other.
/// </summary>
internal sealed class HostMemoryCase(BenchEnvironment environment, BenchOptions options) : IBenchCase
{
    private const int Workers = 50;
    private const double TargetMb = 300;

    public string Name => "memory";

    public async Task<IReadOnlyList<BenchGroup>> RunAsync(StorageUnderTest storageUnderTest)
    {
        if (storageUnderTest is not MySqlStorageUnderTest)
        {
            Console.WriteLine($"  skipped: the JobServer host runs only on {MySqlStorageUnderTest.StorageName}");
            return [];
        }

        var dll = Path.Combine(BenchEnvironment.RepositoryRoot(), "JobServer", "bin", "Release", "net10.0", "JobServer.dll");
        if (!File.Exists(dll)) throw new InvalidOperationException($"{dll} is missing: build JobServer in Release (scripts/bench.sh does).");
        var backlog = options.Backlog;
        var peaks = new List<double>();
        for (var run = 0; run < options.Repeats; run++)
        {
            await WriteSleepBacklogAsync(storageUnderTest, backlog);
            var (peak, seconds) = await RunHostAsync(dll, storageUnderTest, backlog);
            Console.WriteLine($"  JobServer host x {Workers} workers drained {backlog:N0} sleep(0) jobs in {seconds:N1} s (from process start); VmHWM {peak:N0} MB");
            peaks.Add(peak);
        }

        var result = new BenchResult($"JobServer.dll VmHWM, 1 pool x {Workers} workers, {backlog:N0} sleep(0)", "MB", Stats.Median(peaks)) { Max = peaks.Max() };
        if (result.Max > TargetMb) Console.WriteLine($"  over the {TargetMb:N0} MB target");
        return [new BenchGroup($"Memory: peak RSS of a JobServer host process draining a backlog (MB), {storageUnderTest.Name}", [result])];
    }

    private static async Task WriteSleepBacklogAsync(StorageUnderTest storageUnderTest, int jobs)
    {
        await storageUnderTest.ResetAsync();
        var storage = storageUnderTest.CreateStorage();
        try
        {
            var client = new BackgroundJobClient(storage);
            var args = JsonDocument.Parse("""{"ms":0}""").RootElement;
            if (!JobTypes.TryCreateJob(SleepJob.TypeName, args, out var job, out var errors))
            {
                throw new InvalidOperationException("sleep arguments refused: " + string.Join("; ", errors));
            }

            await EnqueueCase.Concurrently(8, jobs, _ => client.Create(job, new EnqueuedState("default")));
        }
        finally
        {
            (storage as IDisposable)?.Dispose();
        }
    }

    private async Task<(double PeakMb, double Seconds)> RunHostAsync(string dll, StorageUnderTest storageUnderTest, int backlog)
    {
        var start = new ProcessStartInfo("dotnet", [dll, "--urls", "http://127.0.0.1:0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ConnectionStrings__JobServer"] = environment.ConnectionString;
        start.Environment["JobServer__ServerName"] = "bench-host";
        start.Environment["JobServer__Servers__0__Name"] = "default";
        start.Environment["JobServer__Servers__0__Queues__0"] = "default";
        start.Environment["JobServer__Servers__0__Workers"] = Workers.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["Logging__LogLevel__Default"] = "Warning";

        var output = new ConcurrentQueue<string>();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start JobServer.dll");
        process.OutputDataReceived += (_, e) => Keep(output, e.Data);
        process.ErrorDataReceived += (_, e) => Keep(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var stopwatch = Stopwatch.StartNew();
        var storage = storageUnderTest.CreateStorage();
        try
        {
            var monitoring = storage.GetMonitoringApi();
            await Wait.UntilAsync(() =>
            {
                if (process.HasExited) throw new InvalidOperationException($"JobServer.dll exited ({process.ExitCode}):\n{string.Join('\n', output)}");
                var statistics = monitoring.GetStatistics();
                if (statistics.Failed > 0) throw new InvalidOperationException($"{statistics.Failed} sleep jobs failed:\n{string.Join('\n', output)}");
                return statistics.Succeeded >= backlog;
            }, TimeSpan.FromMinutes(10), $"the host to run {backlog:N0} sleep jobs", pollMs: 200);
            var seconds = stopwatch.Elapsed.TotalSeconds;
            var peak = ProcStatus.Mb("VmHWM", process.Id);
            await StopAsync(process);
            return (peak, seconds);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            (storage as IDisposable)?.Dispose();
        }
    }

    /// <summary>SIGTERM, as a service manager stops the host (its servers leave the storage cleanly); SIGKILL after a minute.</summary>
    private static async Task StopAsync(Process process)
    {
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
        }
    }

    private static void Keep(ConcurrentQueue<string> output, string? line)
    {
        if (line is null) return;
        output.Enqueue(line);
        while (output.Count > 200) output.TryDequeue(out _);
    }

}
