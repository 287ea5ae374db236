using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Hangfire;
using JobServer.Bench.Storages;

namespace JobServer.Bench.Cases;

/// <summary>
/// Several bench server processes (<see cref="ChildServer"/>, each with its own storage instance) draining one backlog
/// that was written before they started: started together, stopped (stdin closed) once the storage counts the whole
/// backlog Succeeded, their reports merged. The rate runs from the first job's start in any process to the last job's
/// end in any process; every job must have run exactly once across all of them. Each process warms up on a queue of
/// its own first (<see cref="ChildServer.WarmUpJobs"/>).
/// </summary>
internal sealed class ServerProcesses(StorageUnderTest storageUnderTest, int processes, int workers, int backlog)
{
    private int WarmUpJobs => processes * ChildServer.WarmUpJobs;

    public sealed record Outcome(double JobsPerSecond, double LargestPeakRssMb, IReadOnlyList<int> JobsPerProcess);

    public async Task<Outcome> RunOnceAsync()
    {
        var folder = Directory.CreateTempSubdirectory("jobserver-bench-");
        var children = new List<(Process Process, string Report)>();
        var ready = new List<TaskCompletionSource>();
        try
        {
            for (var i = 0; i < processes; i++)
            {
                var report = Path.Combine(folder.FullName, $"server-{i}.json");
                var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                ready.Add(started);
                children.Add((Start($"bench-proc-{i}", report, started), report));
            }

            var storage = storageUnderTest.CreateStorage();
            try
            {
                // Drained = every child warmed up and serving, and no job row left Enqueued or Processing (exact counts
                // of job rows). Not the Succeeded counter: with several servers it has been seen over-counting.
                var monitoring = storage.GetMonitoringApi();
                await Wait.UntilAsync(() =>
                {
                    if (children.FirstOrDefault(c => c.Process.HasExited) is { Process: { } dead }) throw new InvalidOperationException($"A server process exited early ({dead.ExitCode}).");
                    if (ready.Any(r => !r.Task.IsCompleted)) return false;
                    var statistics = monitoring.GetStatistics();
                    return statistics.Enqueued == 0 && statistics.Processing == 0;
                }, TimeSpan.FromMinutes(10), $"{backlog:N0} jobs to be run by {processes} processes", pollMs: 200);
            }
            finally
            {
                (storage as IDisposable)?.Dispose();
            }

            foreach (var (process, _) in children) process.StandardInput.Close();
            foreach (var (process, _) in children)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
                await process.WaitForExitAsync(timeout.Token);
                if (process.ExitCode != 0) throw new InvalidOperationException($"A server process exited with {process.ExitCode}.");
            }

            var reports = children.Select(c => JsonSerializer.Deserialize<ChildServerReport>(File.ReadAllText(c.Report))!).ToList();
            return Merge(reports);
        }
        finally
        {
            foreach (var (process, _) in children)
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
                process.Dispose();
            }

            folder.Delete(recursive: true);
        }
    }

    /// <summary>Every job number ran exactly once over all processes, and the storage agrees: the guarantee holds
    /// across processes as it does within one.</summary>
    private Outcome Merge(IReadOnlyList<ChildServerReport> reports)
    {
        var runs = new int[backlog];
        foreach (var report in reports)
        {
            for (var n = 0; n < backlog; n++) runs[n] += report.Runs[n];
        }

        var wrong = runs.Select((count, n) => (N: n, Runs: count)).Where(r => r.Runs != 1).ToList();
        var total = reports.Sum(r => r.Total);
        var statistics = WithStorage(s => s.GetMonitoringApi().GetStatistics());
        if (wrong.Count > 0 || total != backlog || statistics.Enqueued != 0 || statistics.Processing != 0 || statistics.Failed != 0)
        {
            throw new InvalidOperationException(
                $"Guarantee broken across {processes} processes: {total:N0} runs for {backlog:N0} jobs ({wrong.Count} not run exactly once, e.g. {string.Join(", ", wrong.Take(5))}); " +
                $"storage says Enqueued {statistics.Enqueued:N0}, Processing {statistics.Processing:N0}, Failed {statistics.Failed:N0}.");
        }

        // Every job ran once and no job row is left unfinished, so exactly backlog + warm-up jobs are Succeeded; the
        // storage's Succeeded counter (hf_counter + hf_aggregated_counter) should say so. It is a dashboard figure, not
        // the run guarantee, so a wrong one is reported loudly instead of stopping the benchmark.
        if (statistics.Succeeded != backlog + WarmUpJobs)
        {
            Console.WriteLine($"  WARNING: the storage's Succeeded counter says {statistics.Succeeded:N0} after {backlog + WarmUpJobs:N0} jobs succeeded ({processes} servers aggregating counters at once?)");
        }

        var first = reports.Where(r => r.Total > 0).Min(r => r.FirstStartUtcTicks);
        var last = reports.Max(r => r.LastEndUtcTicks);
        return new Outcome(backlog / TimeSpan.FromTicks(last - first).TotalSeconds, reports.Max(r => r.PeakRssMb), [.. reports.Select(r => r.Total)]);
    }

    private T WithStorage<T>(Func<JobStorage, T> read)
    {
        var storage = storageUnderTest.CreateStorage();
        try
        {
            return read(storage);
        }
        finally
        {
            (storage as IDisposable)?.Dispose();
        }
    }

    /// <summary>This program again in its <see cref="ChildServer"/> mode; its output (warnings) goes to this console.</summary>
    private Process Start(string name, string report, TaskCompletionSource ready)
    {
        var (file, prefix) = LatencyCase.SelfCommand();
        var start = new ProcessStartInfo(file) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = false };
        foreach (var arg in prefix.Concat([ChildServer.CommandName, "--storage", storageUnderTest.Name, "--workers", Text(workers), "--name", name, "--backlog", Text(backlog), "--report", report]))
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start a server process.");
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data == "ready") ready.TrySetResult();
            else if (e.Data is { Length: > 0 } line) Console.WriteLine($"  [{name}] {line}");
        };
        process.BeginOutputReadLine();
        return process;
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
