using System.Runtime.InteropServices;
using System.Text.Json;
using Hangfire;
using Hangfire.States;
using JobServer.Bench.Storages;

namespace JobServer.Bench.Cases;

/// <summary>
/// One server process of the multi-process processing case (<c>child-serve --storage NAME --workers N --name X
/// --backlog N --report FILE</c>): its own storage instance and a <see cref="BenchServer"/>, which runs until stdin
/// closes or the process gets SIGTERM/SIGINT; then the server stops and what its jobs did is written to the report
/// file as JSON (<see cref="ChildServerReport"/>). "ready" on stdout once the server started.
/// </summary>
internal static class ChildServer
{
    public const string CommandName = "child-serve";

    /// <summary>No-op jobs each process runs on a queue of its own before it serves <c>default</c>, so JIT and pools
    /// are warm as in the one-server runs (which warm up in the bench process); they end Succeeded too.</summary>
    public const int WarmUpJobs = 200;

    /// <summary>A stdout line "ran N": this process has run N backlog jobs so far.</summary>
    public const string ProgressPrefix = "ran ";

    public static async Task<int> RunAsync(BenchOptions options, BenchEnvironment environment)
    {
        var reportPath = options.Text("--report") ?? throw new ArgumentException("--report FILE is required.");
        var workers = options.Int("--workers", 20, 1, 1000);
        var name = options.Text("--name") ?? "bench-child";
        await using var storageUnderTest = StorageUnderTest.Create(options.Storage ?? StorageUnderTest.Names[0], environment);
        var storage = storageUnderTest.CreateStorage();
        try
        {
            JobProbe.Reset(options.Backlog);
            using var stop = new CancellationTokenSource();
            using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
            var warmUpStranded = await WarmUpAsync(storage, environment, workers, name);
            JobProbe.Reset(options.Backlog);
            await using (new BenchServer(storage, environment.ConnectionString, workers, name))
            {
                Console.WriteLine("ready");
                var stdinClosed = Task.Run(() => Console.In.ReadToEnd());
                var stopped = Task.Delay(Timeout.Infinite, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                // The parent adds up the children's progress to see when the backlog is done (or stopped moving).
                for (var reported = -1; !stdinClosed.IsCompleted && !stopped.IsCompleted; await Task.WhenAny(stdinClosed, stopped, Task.Delay(100)))
                {
                    if (JobProbe.Total != reported) Console.WriteLine(ProgressPrefix + (reported = JobProbe.Total).ToString(System.Globalization.CultureInfo.InvariantCulture));
                }
            }

            var report = new ChildServerReport(JobProbe.RunsPerJob(), JobProbe.Total, JobProbe.FirstStartUtcTicks, JobProbe.LastEndUtcTicks,
                ProcStatus.Mb("VmHWM"), warmUpStranded);
            await File.WriteAllTextAsync(reportPath, JsonSerializer.Serialize(report));
            return 0;
        }
        finally
        {
            (storage as IDisposable)?.Dispose();
        }
    }

    /// <summary>Returns the warm-up jobs the storage stranded (fetched, not run): they stay in the storage as unfinished.</summary>
    private static async Task<int> WarmUpAsync(JobStorage storage, BenchEnvironment environment, int workers, string name)
    {
        var queue = "warmup-" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        JobProbe.Reset();
        await using (new BenchServer(storage, environment.ConnectionString, workers, name + "-warmup", queue))
        {
            var client = new BackgroundJobClient(storage);
            for (var i = 0; i < WarmUpJobs; i++) client.Create<NoopJob>(x => x.Run(-1), new EnqueuedState(queue));
            return await Wait.UntilDoneOrStalledAsync(() => JobProbe.Total, WarmUpJobs, ProcessingCase.StallLimit, TimeSpan.FromMinutes(5), "the warm-up jobs");
        }
    }
}

/// <summary>What one server process's jobs did: runs per job number, the first start and last end (UTC ticks, so they
/// compare across processes), the process's peak resident memory, and warm-up jobs the storage stranded.</summary>
internal sealed record ChildServerReport(int[] Runs, int Total, long FirstStartUtcTicks, long LastEndUtcTicks, double PeakRssMb, int WarmUpStranded);
