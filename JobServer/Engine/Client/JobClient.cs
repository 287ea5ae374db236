using JobServer.Engine.Processing;
using JobServer.Engine.States;
using JobServer.Jobs;
using JobServer.Storage;
using Microsoft.Extensions.Options;

namespace JobServer.Engine.Client;

internal sealed class JobClient(
    JobTypeRegistry registry,
    IJobWriter writer,
    PlainJobGroupCommit plainJobs,
    EngineSignals signals,
    RunningJobs running,
    IOptions<JobServerOptions> options,
    TimeProvider time) : IJobClient
{
    /// <summary>Farther ahead than this is almost certainly a unit mistake (ms for s), not a plan.</summary>
    internal static readonly TimeSpan MaxScheduleAhead = TimeSpan.FromDays(3650);

    public CreatedJob Create(JobRequest request)
    {
        var now = Now();
        return Write(ToNewJob(request, now), now);
    }

    public IReadOnlyList<CreatedJob> CreateMany(IReadOnlyList<JobRequest> requests)
    {
        var now = Now();
        var jobs = new NewJob[requests.Count];
        for (var i = 0; i < jobs.Length; i++)
        {
            try
            {
                jobs[i] = ToNewJob(requests[i], now);
            }
            catch (JobValidationException ex)
            {
                throw new JobValidationException($"jobs[{i}].{ex.Field}", ex.Reason);
            }
        }

        var created = writer.CreateMany(jobs, now.UtcDateTime);
        if (created.Any(c => c.State == JobState.Enqueued))
        {
            signals.WorkAvailable.Set();
        }

        return created;
    }

    public long Enqueue(string type, object? args = null, string? queue = null) => CreateFromObject(FindType(type), args, queue, null);

    public long Enqueue<TJob>(object? args = null, string? queue = null) => CreateFromObject(FindType(typeof(TJob)), args, queue, null);

    public long Schedule(string type, object? args, TimeSpan delay, string? queue = null) =>
        CreateFromObject(FindType(type), args, queue, Now() + CheckDelay(delay));

    public long Schedule(string type, object? args, DateTimeOffset runAt, string? queue = null) =>
        CreateFromObject(FindType(type), args, queue, runAt);

    public long Schedule<TJob>(object? args, TimeSpan delay, string? queue = null) =>
        CreateFromObject(FindType(typeof(TJob)), args, queue, Now() + CheckDelay(delay));

    public long ContinueWith(long parentId, string type, object? args = null, string? queue = null, bool onAnyFinalState = false) =>
        CreateFromObject(FindType(type), args, queue, null, new ContinuationRequest(parentId, onAnyFinalState));

    public long ContinueWith<TJob>(long parentId, object? args = null, string? queue = null, bool onAnyFinalState = false) =>
        CreateFromObject(FindType(typeof(TJob)), args, queue, null, new ContinuationRequest(parentId, onAnyFinalState));

    public StateChange Requeue(long id)
    {
        var change = writer.Requeue(id, "Requeued by operator", Now().UtcDateTime, LeaseFor);
        if (change.Outcome == ChangeOutcome.Changed)
        {
            signals.WorkAvailable.Set();
        }

        return change;
    }

    public StateChange Delete(long id)
    {
        var now = Now().UtcDateTime;
        var change = writer.Delete(id, "Deleted by operator", now, now + options.Value.DeletedRetention);
        if (change.Outcome == ChangeOutcome.Changed)
        {
            // Running here: cancel now. Running elsewhere: that server sees its claim gone within a second.
            running.Cancel(id, CancelReason.Deleted);

            // Its concurrency lease may have passed to a waiting job.
            signals.WorkAvailable.Set();
        }

        return change;
    }

    private long CreateFromObject(JobType type, object? args, string? queue, DateTimeOffset? runAt, ContinuationRequest? after = null)
    {
        var (typedArgs, argsJson) = JobArguments.FromObject(type, args);
        var now = Now();
        return Write(ToNewJob(type, typedArgs, argsJson, queue, runAt, after, now), now).Id;
    }

    /// <summary>The one validation path of every create: type, arguments, queue and timing, as a job to store.</summary>
    private NewJob ToNewJob(JobRequest request, DateTimeOffset now)
    {
        var type = FindType(request.Type);
        var (args, argsJson) = JobArguments.Parse(type, request.ArgsJson);
        var after = request.After is { } parent ? new ContinuationRequest(parent, request.AfterAnyFinalState) : null;
        return ToNewJob(type, args, argsJson, request.Queue, request.RunAt, after, now);
    }

    private static NewJob ToNewJob(JobType type, object args, string argsJson, string? queue, DateTimeOffset? runAt, ContinuationRequest? after, DateTimeOffset now)
    {
        var queueName = queue ?? type.Options.Queue;
        if (!QueueName.IsValid(queueName))
        {
            throw new JobValidationException("queue", "must be 1-50 characters of a-z, 0-9, '_' or '-'");
        }

        if (runAt is { } at && at - now > MaxScheduleAhead)
        {
            throw new JobValidationException("runAt", "must be within 10 years from now");
        }

        if (after is not null && runAt is not null)
        {
            throw new JobValidationException("after", "a continuation runs when its parent ends; it cannot also have a delay or runAt");
        }

        return new NewJob(type.Name, queueName, argsJson, runAt?.UtcDateTime, ConcurrencyKeys.For(type, args), after);
    }

    private CreatedJob Write(NewJob job, DateTimeOffset now)
    {
        // Plain jobs from concurrent callers share commits; the rest need locks and decisions of their own.
        var created = job.IsPlain ? plainJobs.Create(job) : writer.Create(job, now.UtcDateTime);
        if (created.State == JobState.Enqueued)
        {
            signals.WorkAvailable.Set();
        }

        return created;
    }

    /// <summary>The lease a stored job needs when requeued; its arguments were valid when it was created.</summary>
    private ConcurrencyRequest? LeaseFor(string typeName, string argsJson) =>
        registry.Find(typeName) is { Options.Concurrency: not null } type ? ConcurrencyKeys.For(type, JobArguments.Read(type, argsJson)) : null;

    private static TimeSpan CheckDelay(TimeSpan delay)
    {
        if (delay < TimeSpan.Zero || delay > MaxScheduleAhead)
        {
            throw new JobValidationException("delay", "must be between 00:00:00 and 3650 days");
        }

        return delay;
    }

    private JobType FindType(string name) =>
        registry.Find(name) ?? throw new JobValidationException("type", $"unknown job type '{Truncate(name)}'; known types: {string.Join(", ", registry.All.Select(t => t.Name).Order())}");

    private JobType FindType(Type handlerType) =>
        registry.FindByHandler(handlerType) ?? throw new InvalidOperationException($"{handlerType.Name} is not registered as a job type; call AddJob<{handlerType.Name}, …>().");

    private DateTimeOffset Now() => time.GetUtcNow();

    private static string Truncate(string value) => value.Length <= 100 ? value : value[..100] + "…";
}
