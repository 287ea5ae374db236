using System.ComponentModel;
using Hangfire;

namespace JobServer.Jobs;

/// <summary>Waits <c>ms</c> milliseconds and succeeds: for smoke tests, demos and benchmarks. Deleting the job or
/// stopping its server ends the wait at once (Hangfire cancels the token).</summary>
public sealed class SleepJob(TimeProvider time)
{
    public const string TypeName = "sleep";

    [DisplayName("sleep {0}")]
    [AutomaticRetry(Attempts = 0)] // nothing in it can fail but cancellation, which is not retried anyway
    public async Task<SleepResult> Run(SleepArguments args, CancellationToken cancellationToken)
    {
        InvalidJobArgumentsException.ThrowIfInvalid(args);
        if (args.Ms > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(args.Ms), time, cancellationToken).ConfigureAwait(false);
        }

        return new SleepResult(args.Ms);
    }
}

/// <summary>Stored in the Succeeded state.</summary>
public sealed record SleepResult(int Slept);
