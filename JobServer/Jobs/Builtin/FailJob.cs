using System.ComponentModel.DataAnnotations;

namespace JobServer.Jobs.Builtin;

/// <summary>
/// Fails on purpose, with a real stack trace, so retries and the dashboard's failure view can be tried without
/// writing a job: <c>{"message": "boom"}</c> always fails; with <c>succeedAfter</c> it fails until that time, so
/// requeueing it afterwards (from the dashboard) shows a recovery. One attempt: no automatic retries.
/// </summary>
public sealed class FailJob(TimeProvider time) : IJob<FailJobArgs>
{
    public const string TypeName = "fail";

    public Task ExecuteAsync(FailJobArgs args, JobContext context)
    {
        if (args.SucceedAfter is { } after && time.GetUtcNow() >= after)
        {
            context.Result = new { recovered = true };
            return Task.CompletedTask;
        }

        return Task.FromException(SimulatedFailure(args.Message));
    }

    private static Exception SimulatedFailure(string message)
    {
        try
        {
            // Thrown, not just created, so the stored exception carries a stack trace to look at.
            throw new InvalidOperationException(message);
        }
        catch (InvalidOperationException ex)
        {
            return ex;
        }
    }
}

public sealed class FailJobArgs
{
    /// <summary>The exception message, 1 to 500 characters. Default "Simulated failure".</summary>
    [Required]
    [StringLength(500, MinimumLength = 1)]
    public string Message { get; init; } = "Simulated failure";

    /// <summary>From this time on the job succeeds instead (ISO-8601). Default: never.</summary>
    public DateTimeOffset? SucceedAfter { get; init; }
}
