using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Hangfire;
using JobServer.Bench.Storages;

namespace JobServer.Bench.Cases;

/// <summary>
/// Several bench server processes (<see cref="ChildServer"/>, each with its own storage instance) draining one backlog
/// that was written before they started: started together, stopped (stdin closed) once their runs add up to the whole
/// backlog, their reports merged. The rate runs from the first job's start in any process to the last job's
/// end in any process; every job must have run exactly once across all of them. Each process warms up on a queue of
/// its own first (<see cref="ChildServer.WarmUpJobs"/>).
/// </summary>
internal sealed class ServerProcesses(StorageUnderTest storageUnderTest, int processes, int workers, int backlog)
{
    private int WarmUpJobs => processes * ChildServer.WarmUpJobs;

    /// <summary><paramref name="Stranded"/>: jobs no process ran within <see cref="ProcessingCase.StallLimit"/> of the last run.</summary>
    public sealed record Outcome(double JobsPerSecond, double LargestPeakRssMb, IReadOnlyList<int> JobsPerProcess, int Stranded);

    public async Task<Outcome> RunOnceAsync()
    {
        var folder = Directory.CreateTempSubdirectory("jobserver-bench-");
        var children = new List<(Process Process, string Report)>();
        var ready = new List<TaskCompletionSource>();
        var progress = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        int stranded;
        try
        {
            for (var i = 0; i < processes; i++)
            {
                var report = Path.Combine(folder.FullName, $"server-{i}.json");
                var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                ready.Add(started);
                children.Add((Start($"bench-proc-{i}", report, started, progress), report));
            }

            // Drained = every child warmed up and serving, and their backlog runs (each child's "ran N") add up.
            await Wait.UntilAsync(() =>
            {
                ThrowIfAnyExited(children);
                return ready.All(r => r.Task.IsCompleted);
            }, TimeSpan.FromMinutes(5), $"{processes} server processes to warm up", pollMs: 200);
            stranded = await Wait.UntilDoneOrStalledAsync(() =>
            {
                ThrowIfAnyExited(children);
                return progress.Values.Sum();
            }, backlog, ProcessingCase.StallLimit, TimeSpan.FromMinutes(10), $"{backlog:N0} jobs to be run by {processes} processes", pollMs: 200);

            // Stopped gracefully: each worker finishes its job (and commits its Succeeded state) before its process ends.
            foreach (var (process, _) in children) process.StandardInput.Close();
            foreach (var (process, _) in children)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
                await process.WaitForExitAsync(timeout.Token);
                if (process.ExitCode != 0) throw new InvalidOperationException($"A server process exited with {process.ExitCode}.");
            }

            var reports = children.Select(c => JsonSerializer.Deserialize<ChildServerReport>(File.ReadAllText(c.Report))!).ToList();
            return Merge(reports, stranded);
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

    /// <summary>Every job number ran at most once over all processes, all but the stranded ones ran, and the storage
    /// agrees: the guarantee holds across processes as it does within one.</summary>
    private Outcome Merge(IReadOnlyList<ChildServerReport> reports, int stranded)
    {
        var runs = new int[backlog];
        foreach (var report in reports)
        {
            for (var n = 0; n < backlog; n++) runs[n] += report.Runs[n];
        }

        var twice = runs.Select((count, n) => (N: n, Runs: count)).Where(r => r.Runs > 1).ToList();
        var total = reports.Sum(r => r.Total);
        var statistics = WithStorage(s => s.GetMonitoringApi().GetStatistics());
        var warmUpStranded = reports.Sum(r => r.WarmUpStranded);
        if (twice.Count > 0 || total != backlog - stranded || statistics.Enqueued + statistics.Processing != stranded + warmUpStranded || statistics.Failed != 0)
        {
            throw new InvalidOperationException(
                $"Guarantee broken across {processes} processes: {total:N0} runs for {backlog:N0} jobs ({twice.Count} run more than once, e.g. {string.Join(", ", twice.Take(5))}; {stranded:N0} stranded); " +
                $"storage says Enqueued {statistics.Enqueued:N0}, Processing {statistics.Processing:N0}, Failed {statistics.Failed:N0} ({warmUpStranded} warm-up jobs stranded).");
        }

        if (stranded + warmUpStranded > 0)
        {
            Console.WriteLine($"  WARNING: {stranded:N0} of {backlog:N0} jobs (and {warmUpStranded} of the warm-up jobs) were not run {ProcessingCase.StallLimit.TotalSeconds:N0} s after the last run ({storageUnderTest.Name}, {processes} processes): stranded until the storage's invisibility timeout");
        }

        // Every job that ran ran once and no other job row is left unfinished, so exactly those + warm-up jobs are
        // Succeeded; the storage's Succeeded counter (hf_counter + hf_aggregated_counter) should say so. It is a
        // dashboard figure, not the run guarantee, so a wrong one is reported loudly instead of stopping the benchmark.
        if (statistics.Succeeded != total + WarmUpJobs - warmUpStranded)
        {
            Console.WriteLine($"  WARNING: the storage's Succeeded counter says {statistics.Succeeded:N0} after {total + WarmUpJobs - warmUpStranded:N0} jobs succeeded ({processes} servers aggregating counters at once?)");
        }

        var first = reports.Where(r => r.Total > 0).Min(r => r.FirstStartUtcTicks);
        var last = reports.Max(r => r.LastEndUtcTicks);
        return new Outcome(total / TimeSpan.FromTicks(last - first).TotalSeconds, reports.Max(r => r.PeakRssMb), [.. reports.Select(r => r.Total)], stranded);
    }

    private static void ThrowIfAnyExited(List<(Process Process, string Report)> children)
    {
        if (children.FirstOrDefault(c => c.Process.HasExited) is { Process: { } dead }) throw new InvalidOperationException($"A server process exited early ({dead.ExitCode}).");
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
    private Process Start(string name, string report, TaskCompletionSource ready, System.Collections.Concurrent.ConcurrentDictionary<string, int> progress)
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
            else if (e.Data?.StartsWith(ChildServer.ProgressPrefix, StringComparison.Ordinal) == true) progress[name] = int.Parse(e.Data[ChildServer.ProgressPrefix.Length..], CultureInfo.InvariantCulture);
            else if (e.Data is { Length: > 0 } line) Console.WriteLine($"  [{name}] {line}");
        };
        process.BeginOutputReadLine();
        return process;
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
