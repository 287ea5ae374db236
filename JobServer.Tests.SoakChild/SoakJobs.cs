using Hangfire;
using Hangfire.Server;

namespace JobServer.Tests.SoakChild;

/// <summary>
/// The soak's jobs. Each execution writes a row to <see cref="SoakLedger"/> when it starts and completes it when it
/// ends (with its outcome), so the test sees every run — including the ones a SIGKILL cut short (no end).
/// </summary>
public sealed class SoakJobs
{
    /// <summary>Retries at once-ish (1 s), so a soak of a minute sees failures, retries and final failures.</summary>
    [AutomaticRetry(Attempts = 2, DelaysInSeconds = [1, 1], OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public void Work(SoakStep step, PerformContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(context);
        var attempt = SoakLedger.Patiently(() => context.GetJobParameter<int>("RetryCount"));
        var run = SoakLedger.Started(context.BackgroundJob.Id, attempt, context.ServerId, step.Kind);
        try
        {
            // Deleting a running job (or stopping its server) cancels this token: the run ends "cancelled".
            cancellationToken.WaitHandle.WaitOne(step.Ms);
            cancellationToken.ThrowIfCancellationRequested();
            if (attempt < step.FailAttempts) throw new SoakFailure($"scripted failure on attempt {attempt + 1} of {step.FailAttempts}");
        }
        catch (Exception ex)
        {
            SoakLedger.Ended(run, ex is OperationCanceledException ? "cancelled" : "failed");
            throw;
        }

        SoakLedger.Ended(run, "succeeded");
    }

    /// <summary>The per-second recurring job: one short run per occurrence.</summary>
    public void Tick(PerformContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var run = SoakLedger.Started(context.BackgroundJob.Id, SoakLedger.Patiently(() => context.GetJobParameter<int>("RetryCount")), context.ServerId, "tick");
        SoakLedger.Ended(run, "succeeded");
    }
}
