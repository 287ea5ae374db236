using System.Text.Json;
using JobServer.Jobs;
using JobServer.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace JobServer.Engine.Processing;

/// <summary>Runs one claimed job through its handler and records how it ended.</summary>
internal sealed partial class JobExecutor(
    JobTypeRegistry registry,
    IServiceScopeFactory scopes,
    IJobQueue queue,
    SuccessWriter successes,
    RunningJobs running,
    EngineSignals signals,
    ServerIdentity server,
    Microsoft.Extensions.Options.IOptions<JobServerOptions> options,
    TimeProvider time,
    ILogger<JobExecutor> logger)
{
    /// <param name="job">A job this server has claimed.</param>
    /// <param name="abandon">Signalled when the server gives up on recording outcomes (hard stop after the grace period).</param>
    public async Task ExecuteAsync(ClaimedJob job, CancellationToken abandon)
    {
        // Checkpoint 1, claimed: the job is Processing under this server's claim. Should the process die from here
        // until checkpoint 3, the claim expires with the heartbeat and another server runs the job again:
        // delivery is at least once, so handlers with side effects make them idempotent (see the bulk insert).
        var outcome = await PerformAsync(job).ConfigureAwait(false);

        // Checkpoint 2, performed: the handler's effects are done but not yet recorded.
        await RecordAsync(job, outcome, abandon).ConfigureAwait(false);

        // Checkpoint 3, completed: the outcome is committed, guarded by the claim, so a server that lost the job
        // in the meantime cannot overwrite what became of it.
        if (registry.Find(job.Type)?.Options.Concurrency is not null)
        {
            // A final state hands the job's concurrency lease to the next job waiting for it: fetch that one now.
            signals.WorkAvailable.Set();
        }
    }

    private async Task<JobOutcome> PerformAsync(ClaimedJob job)
    {
        var type = registry.Find(job.Type);
        if (type is null)
        {
            return new JobOutcome.Failed(new InvalidOperationException($"No job type '{job.Type}' is registered on server {server.Id}."), Permanent: true);
        }

        if (job.Attempt > type.RetryPolicy.MaxAttempts)
        {
            // Only possible when earlier attempts died with their server: stop a job that kills servers.
            return new JobOutcome.Failed(
                new InvalidOperationException($"Attempt {job.Attempt} exceeds the {type.RetryPolicy.MaxAttempts} allowed; earlier attempts were interrupted by server failures."),
                Permanent: true);
        }

        using var cancellation = type.Options.Timeout is { } timeout
            ? new CancellationTokenSource(timeout, time)
            : new CancellationTokenSource();
        var entry = new RunningJob(job, cancellation);
        running.Add(entry);
        LogStarting(logger, job.Id, job.Type, job.Queue, job.Attempt, server.Id);
        try
        {
            object args;
            try
            {
                args = JobArguments.Read(type, job.ArgsJson);
            }
            catch (JobValidationException ex)
            {
                return new JobOutcome.Failed(ex, Permanent: true);
            }

            await using var scope = scopes.CreateAsyncScope();
            var handler = scope.ServiceProvider.GetRequiredService(type.HandlerType);
            var context = new JobContext(job.Id, job.Attempt, (done, total) => ReportProgress(job.Id, done, total), entry.Token);
            // On a pool thread of its own, so a handler that blocks before its first await blocks only itself.
            var invocation = Task.Run(() => type.InvokeAsync(handler, args, context));
            await AwaitOrAbandonAsync(invocation, entry.Token).ConfigureAwait(false);
            return new JobOutcome.Succeeded(context.Result is null ? null : JsonSerializer.Serialize(context.Result, JobArguments.SerializerOptions));
        }
        catch (OperationCanceledException ex) when (entry.Token.IsCancellationRequested)
        {
            return entry.Reason switch
            {
                CancelReason.Shutdown => new JobOutcome.Released(),
                CancelReason.Deleted or CancelReason.ClaimLost => new JobOutcome.Abandoned(entry.Reason.Value),
                _ => new JobOutcome.Failed(new TimeoutException($"The job ran longer than its timeout of {type.Options.Timeout}.", ex), Permanent: false),
            };
        }
        catch (Exception ex)
        {
            return new JobOutcome.Failed(ex, Permanent: false);
        }
        finally
        {
            running.Remove(job.Id);
        }
    }

    /// <summary>
    /// Waits for the handler — but once its token is signalled, for at most the grace period: a handler that ignores
    /// its token must not hold a worker slot for good. Past the grace it is abandoned (still running, its outcome
    /// ignored) and the attempt ends as cancelled.
    /// </summary>
    private async Task AwaitOrAbandonAsync(Task invocation, CancellationToken token)
    {
        var cancelled = Task.Delay(Timeout.Infinite, token);
        if (await Task.WhenAny(invocation, cancelled).ConfigureAwait(false) != invocation)
        {
            var grace = Task.Delay(options.Value.CancellationGracePeriod, time);
            if (await Task.WhenAny(invocation, grace).ConfigureAwait(false) != invocation)
            {
                // Observe whatever the abandoned handler throws later, so it never surfaces as an unobserved exception.
                _ = invocation.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                LogAbandonedHandler(logger, options.Value.CancellationGracePeriod);
                throw new OperationCanceledException("The handler did not stop within the grace period after cancellation.", token);
            }
        }

        await invocation.ConfigureAwait(false);
    }

    private async Task RecordAsync(ClaimedJob job, JobOutcome outcome, CancellationToken abandon)
    {
        if (abandon.IsCancellationRequested)
        {
            // The server already handed its claims back (or died): whatever is written now would be stale.
            LogRecordGivenUp(logger, job.Id, job.Type);
            return;
        }

        if (outcome is JobOutcome.Abandoned abandoned)
        {
            LogAbandoned(logger, job.Id, job.Type, abandoned.Reason);
            return;
        }

        // The outcome must survive a database outage: keep trying until it is written or the server gives up,
        // in which case the claim expires and the job runs again (never lost, possibly repeated).
        for (var failures = 0; ; failures++)
        {
            try
            {
                if (!await WriteAsync(job, outcome).ConfigureAwait(false))
                {
                    LogClaimLost(logger, job.Id, job.Type, server.Id);
                }

                return;
            }
            catch (Exception ex) when (!abandon.IsCancellationRequested)
            {
                var delay = BackgroundLoop.Backoff(failures + 1);
                LogRecordFailed(logger, job.Id, job.Type, delay, ex.Message);
                try
                {
                    await Task.Delay(delay, time, abandon).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    LogRecordGivenUp(logger, job.Id, job.Type);
                    return;
                }
            }
        }
    }

    private async Task<bool> WriteAsync(ClaimedJob job, JobOutcome outcome)
    {
        var now = time.GetUtcNow().UtcDateTime;
        switch (outcome)
        {
            case JobOutcome.Succeeded succeeded:
                LogSucceeded(logger, job.Id, job.Type, job.Queue, job.Attempt);
                return await successes.RecordAsync(job, succeeded.ResultJson).ConfigureAwait(false);

            case JobOutcome.Released:
                LogReleased(logger, job.Id, job.Type, job.Queue);
                return queue.ReleaseIfClaimed(job, server.Id, "Server shutting down", now);

            case JobOutcome.Failed failed:
                var failure = JobFailure.From(failed.Exception);
                var policy = registry.Find(job.Type)?.RetryPolicy;
                if (!failed.Permanent && policy is not null && policy.ShouldRetry(job.Attempt))
                {
                    var delay = policy.DelayAfter(job.Attempt, Random.Shared.NextDouble());
                    LogRetrying(logger, failed.Exception, job.Id, job.Type, job.Attempt, delay);
                    return queue.ScheduleRetryIfClaimed(
                        job, server.Id, failure, $"Retry {job.Attempt} of {policy.MaxAttempts - 1} in {delay:g}", now + delay, now);
                }

                LogFailed(logger, failed.Exception, job.Id, job.Type, job.Attempt);
                var reason = failed.Permanent ? "Failed; not retryable" : $"Failed after {job.Attempt} attempt(s)";
                return queue.SetFailedIfClaimed(job, server.Id, failure, reason, now);

            default:
                throw new InvalidOperationException($"Unexpected outcome {outcome}.");
        }
    }

    private void ReportProgress(long jobId, long done, long total)
    {
        try
        {
            queue.SetProgress(jobId, done, total);
        }
        catch (StorageUnavailableException ex)
        {
            // Progress is informational: an outage must not fail the job that reports it.
            LogProgressLost(logger, jobId, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Job {JobId} ({Type}) starting on queue {Queue}, attempt {Attempt}, server {ServerId}")]
    private static partial void LogStarting(ILogger logger, long jobId, string type, string queue, int attempt, string serverId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Job {JobId} ({Type}) succeeded on queue {Queue}, attempt {Attempt}")]
    private static partial void LogSucceeded(ILogger logger, long jobId, string type, string queue, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} ({Type}) attempt {Attempt} failed; retrying in {Delay}")]
    private static partial void LogRetrying(ILogger logger, Exception exception, long jobId, string type, int attempt, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId} ({Type}) failed for good at attempt {Attempt}")]
    private static partial void LogFailed(ILogger logger, Exception exception, long jobId, string type, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} ({Type}) interrupted by shutdown; returned to queue {Queue}")]
    private static partial void LogReleased(ILogger logger, long jobId, string type, string queue);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} ({Type}) stopped: {Reason}")]
    private static partial void LogAbandoned(ILogger logger, long jobId, string type, CancelReason reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} ({Type}) finished, but server {ServerId} no longer held its claim; its outcome was not recorded")]
    private static partial void LogClaimLost(ILogger logger, long jobId, string type, string serverId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} ({Type}): recording the outcome failed ({Error}); retrying in {Delay}")]
    private static partial void LogRecordFailed(ILogger logger, long jobId, string type, TimeSpan delay, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} ({Type}): gave up recording the outcome; the job will run again after its claim expires")]
    private static partial void LogRecordGivenUp(ILogger logger, long jobId, string type);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A job handler ignored its cancellation for {Grace}; its worker slot was taken back and the handler left running")]
    private static partial void LogAbandonedHandler(ILogger logger, TimeSpan grace);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Job {JobId}: progress not stored ({Error})")]
    private static partial void LogProgressLost(ILogger logger, long jobId, string error);
}
