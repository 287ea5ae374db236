using System.Diagnostics;
using Hangfire;

namespace JobServer.Bench;

/// <summary>Polls a condition until it holds or a deadline passes (then throws, naming what was awaited).</summary>
internal static class Wait
{
    public static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what, int pollMs = 20)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!condition())
        {
            if (stopwatch.Elapsed > timeout) throw new TimeoutException($"Timed out after {timeout.TotalSeconds:N0} s waiting for {what}.");
            await Task.Delay(pollMs);
        }
    }

    /// <summary>
    /// Waits until <paramref name="done"/> reaches <paramref name="target"/>, and returns how many are still missing when
    /// it stopped moving for <paramref name="stall"/> instead (0 when it got there). A storage that fetched a job and then
    /// lost it brings the job back only after its invisibility timeout (30 min in Hangfire.PostgreSql): that is reported
    /// as stranded jobs, not waited for.
    /// </summary>
    public static async Task<int> UntilDoneOrStalledAsync(Func<int> done, int target, TimeSpan stall, TimeSpan timeout, string what, int pollMs = 20)
    {
        var total = Stopwatch.StartNew();
        var still = Stopwatch.StartNew();
        var last = done();
        while (last < target)
        {
            if (total.Elapsed > timeout) throw new TimeoutException($"Timed out after {timeout.TotalSeconds:N0} s waiting for {what} ({last:N0} of {target:N0}).");
            if (still.Elapsed > stall) return target - last;
            await Task.Delay(pollMs);
            var now = done();
            if (now != last) still.Restart();
            last = now;
        }

        return 0;
    }

    /// <summary>Waits until the job is Succeeded; a Failed or Deleted job throws with its reason.</summary>
    public static async Task ForSucceededAsync(JobStorage storage, string jobId, TimeSpan timeout)
    {
        using var connection = storage.GetConnection();
        await UntilAsync(() =>
        {
            var state = connection.GetStateData(jobId);
            if (state?.Name is "Failed" or "Deleted")
            {
                throw new InvalidOperationException($"Job {jobId} ended {state.Name}: {state.Reason} {string.Join("; ", state.Data.Select(kv => kv.Key + "=" + kv.Value))}");
            }

            return state?.Name == "Succeeded";
        }, timeout, $"job {jobId} to succeed", pollMs: 50);
    }
}
