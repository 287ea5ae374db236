using System.ComponentModel;
using Hangfire;

namespace JobServer.Jobs;

/// <summary>
/// Fails on purpose, with a real stack trace, so the dashboard's failure view and its Requeue button can be tried
/// without writing a job. One attempt: an automatic retry would only fail the same way and hide the Failed state
/// behind Scheduled for a while.
/// </summary>
public sealed class FailJob(TimeProvider time)
{
    public const string TypeName = "fail";

    [DisplayName("fail: {0}")]
    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public FailResult Run(FailArguments args, CancellationToken cancellationToken)
    {
        InvalidJobArgumentsException.ThrowIfInvalid(args);
        if (args.SucceedAfter is { } after && time.GetUtcNow() >= after)
        {
            return new FailResult(Recovered: true);
        }

        // Thrown from here, so the Failed state's stack trace points at this job.
        throw new InvalidOperationException(args.Message);
    }
}

/// <summary>Stored in the Succeeded state once <see cref="FailArguments.SucceedAfter"/> has passed.</summary>
public sealed record FailResult(bool Recovered);
