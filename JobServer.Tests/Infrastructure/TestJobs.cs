using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using JobServer.Hosting;
using JobServer.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace JobServer.Tests.Infrastructure;

/// <summary>What test jobs did, shared by every engine of a test (pass the same instance to each).</summary>
public sealed class ExecutionLog
{
    private readonly ConcurrentDictionary<long, int> _runs = new();
    private readonly ConcurrentDictionary<long, TaskCompletionSource> _started = new();
    private readonly ConcurrentDictionary<string, int> _byServer = new();

    public int RunsOf(long jobId) => _runs.GetValueOrDefault(jobId);

    public IReadOnlyDictionary<long, int> Runs => _runs;

    public int TotalRuns => _runs.Values.Sum();

    public void Record(long jobId)
    {
        _runs.AddOrUpdate(jobId, 1, (_, n) => n + 1);
        _started.GetOrAdd(jobId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    public Task StartedAsync(long jobId) =>
        _started.GetOrAdd(jobId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task.WaitAsync(TimeSpan.FromSeconds(15));

    /// <summary>Released by the test, never by cancellation: for jobs that ignore their token.</summary>
    public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentQueue<string> Cancellations { get; } = new();

    private readonly ConcurrentDictionary<string, int> _inFlight = new();
    private readonly ConcurrentDictionary<string, int> _maxInFlight = new();

    /// <summary>The most jobs with <paramref name="key"/> that ever ran at the same time.</summary>
    public int MaxInFlight(string key) => _maxInFlight.GetValueOrDefault(key);

    public IDisposable Enter(string key)
    {
        var now = _inFlight.AddOrUpdate(key, 1, (_, n) => n + 1);
        _maxInFlight.AddOrUpdate(key, now, (_, max) => Math.Max(max, now));
        return new Exit(() => _inFlight.AddOrUpdate(key, 0, (_, n) => n - 1));
    }

    private sealed class Exit(Action exit) : IDisposable
    {
        public void Dispose() => exit();
    }

    private readonly ConcurrentDictionary<long, bool> _healed = new();
    private readonly ConcurrentDictionary<long, SemaphoreSlim> _steps = new();

    /// <summary>Clears the flaky flag of <paramref name="jobId"/>: its runs from now on succeed (see <see cref="FlakyJob"/>).</summary>
    public void Heal(long jobId) => _healed[jobId] = true;

    public bool IsFlaky(long jobId) => !_healed.ContainsKey(jobId);

    /// <summary>Lets a running <see cref="FlakyJob"/> take its next progress step (releases are remembered, so a step
    /// may be released before the job reaches it).</summary>
    public void ReleaseStep(long jobId, int steps = 1) => StepGate(jobId).Release(steps);

    public Task NextStepAsync(long jobId, CancellationToken cancellationToken) => StepGate(jobId).WaitAsync(cancellationToken);

    private SemaphoreSlim StepGate(long jobId) => _steps.GetOrAdd(jobId, _ => new SemaphoreSlim(0));
}

public sealed class KeyedArgs
{
    public string Key { get; init; } = "k";

    public int SleepMs { get; init; }

    /// <summary>Sleep this long on the first attempt only (cancellably), to be caught mid-run.</summary>
    public int FirstAttemptSleepMs { get; init; }

    public bool Fail { get; init; }
}

/// <summary>Holds its key while it runs (recording overlap), sleeps, and fails when told to.</summary>
public sealed class KeyedJob(ExecutionLog log) : IJob<KeyedArgs>
{
    public async Task ExecuteAsync(KeyedArgs args, JobContext context)
    {
        log.Record(context.JobId);
        using (log.Enter(args.Key))
        {
            var sleep = context.Attempt == 1 && args.FirstAttemptSleepMs > 0 ? args.FirstAttemptSleepMs : args.SleepMs;
            if (sleep > 0)
            {
                await Task.Delay(sleep, context.CancellationToken);
            }
        }

        if (args.Fail)
        {
            throw new InvalidOperationException("told to fail");
        }
    }
}

public sealed class RecordArgs
{
    public int SleepMs { get; init; }
}

/// <summary>Records each execution, then optionally sleeps (cancellably).</summary>
public sealed class RecordingJob(ExecutionLog log) : IJob<RecordArgs>
{
    public async Task ExecuteAsync(RecordArgs args, JobContext context)
    {
        log.Record(context.JobId);
        if (args.SleepMs > 0)
        {
            await Task.Delay(args.SleepMs, context.CancellationToken);
        }
    }
}

public sealed class FailArgs
{
    public string Message { get; init; } = "boom";
}

/// <summary>Always throws, from a named method so the stored stack trace can be checked.</summary>
public sealed class FailingJob(ExecutionLog log) : IJob<FailArgs>
{
    public Task ExecuteAsync(FailArgs args, JobContext context)
    {
        log.Record(context.JobId);
        ThrowFromDeepInside(args.Message);
        return Task.CompletedTask;
    }

    private static void ThrowFromDeepInside(string message) => throw new InvalidOperationException(message);
}

public sealed class BlockArgs
{
    /// <summary>False: wait for cancellation like a well-behaved job. True: wait for the test's gate only.</summary>
    public bool IgnoreCancellation { get; init; }

    /// <summary>Block only on this attempt; other attempts succeed at once.</summary>
    public int BlockOnAttempt { get; init; } = 1;
}

/// <summary>Blocks on one attempt until cancelled (or, when it ignores cancellation, until the test opens the gate).</summary>
public sealed class BlockingJob(ExecutionLog log) : IJob<BlockArgs>
{
    public async Task ExecuteAsync(BlockArgs args, JobContext context)
    {
        log.Record(context.JobId);
        if (context.Attempt != args.BlockOnAttempt)
        {
            return;
        }

        if (args.IgnoreCancellation)
        {
            await log.Gate.Task;
            return;
        }

        try
        {
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            log.Cancellations.Enqueue($"{context.JobId}");
            throw;
        }
    }
}

public sealed class FlakyArgs
{
    /// <summary>Progress steps to take before the end, each one released by the test (<see cref="ExecutionLog.ReleaseStep"/>).</summary>
    public int Steps { get; init; }
}

/// <summary>
/// Reports progress 0 of <see cref="FlakyArgs.Steps"/> and one more step each time the test releases one; then throws
/// from <see cref="CallFlakyDependency"/> while the job's flaky flag is set, and succeeds once the test clears it
/// (<see cref="ExecutionLog.Heal"/>). With no steps it ends at once: a failure to retry from the dashboard.
/// </summary>
public sealed class FlakyJob(ExecutionLog log) : IJob<FlakyArgs>
{
    public const string Message = "The flaky dependency did not answer";

    public async Task ExecuteAsync(FlakyArgs args, JobContext context)
    {
        log.Record(context.JobId);
        for (var step = 0; step < args.Steps; step++)
        {
            context.ReportProgress(step, args.Steps);
            await log.NextStepAsync(context.JobId, context.CancellationToken);
        }

        if (args.Steps > 0)
        {
            context.ReportProgress(args.Steps, args.Steps);
        }

        if (log.IsFlaky(context.JobId))
        {
            CallFlakyDependency();
        }

        context.Result = new { steps = args.Steps };
    }

    /// <summary>The frame a test looks for in the stored stack trace; never inlined, so it is always there.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void CallFlakyDependency() => throw new TimeoutException(Message);
}

public static class TestJobRegistration
{
    public const string Record = "test-record";
    public const string Fail = "test-fail";
    public const string Block = "test-block";
    public const string BlockWithTimeout = "test-block-timeout";
    public const string KeyedReject = "test-keyed-reject";
    public const string KeyedWait = "test-keyed-wait";
    public const string Flaky = "test-flaky";

    /// <summary>Registers the test job types and the shared log.</summary>
    public static IServiceCollection AddTestJobs(this IServiceCollection services, ExecutionLog log, int failAttempts = 2)
    {
        services.AddSingleton(log);
        services.AddJob<RecordingJob, RecordArgs>(Record);
        services.AddJob<FailingJob, FailArgs>(Fail, o =>
        {
            o.MaxAttempts = failAttempts;
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(50);
        });
        services.AddJob<BlockingJob, BlockArgs>(Block);
        services.AddJob<BlockingJob, BlockArgs>(BlockWithTimeout, o =>
        {
            o.MaxAttempts = 1;
            o.Timeout = TimeSpan.FromMilliseconds(300);
        });
        services.AddJob<KeyedJob, KeyedArgs>(KeyedReject, o =>
        {
            o.MaxAttempts = 2;
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(50);
            o.LimitConcurrency<KeyedArgs>(a => a.Key, limit: 1, OverLimit.Reject);
        });
        services.AddJob<KeyedJob, KeyedArgs>(KeyedWait, o =>
        {
            o.MaxAttempts = 1;
            o.LimitConcurrency<KeyedArgs>(a => a.Key, limit: 1, OverLimit.Wait);
        });
        services.AddJob<FlakyJob, FlakyArgs>(Flaky, o => o.MaxAttempts = 1);
        return services;
    }
}
