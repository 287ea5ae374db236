using System.ComponentModel.DataAnnotations;

namespace JobServer.Jobs.Builtin;

/// <summary>Waits <c>ms</c> milliseconds (cancellable) and succeeds: for smoke tests, demos and engine benchmarks.</summary>
public sealed class SleepJob(TimeProvider time) : IJob<SleepArgs>
{
    public const string TypeName = "sleep";

    public async Task ExecuteAsync(SleepArgs args, JobContext context)
    {
        if (args.Ms > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(args.Ms), time, context.CancellationToken);
        }

        context.Result = new { slept = args.Ms };
    }
}

public sealed class SleepArgs
{
    /// <summary>How long to sleep, 0 to 3,600,000 ms (one hour).</summary>
    [Range(0, 3_600_000)]
    public int Ms { get; init; }
}
