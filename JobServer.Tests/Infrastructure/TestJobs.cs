using System.Collections.Concurrent;
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

public static class TestJobRegistration
{
    public const string Record = "test-record";
    public const string Fail = "test-fail";
    public const string Block = "test-block";
    public const string KeyedReject = "test-keyed-reject";
    public const string KeyedWait = "test-keyed-wait";

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
        return services;
    }
}
