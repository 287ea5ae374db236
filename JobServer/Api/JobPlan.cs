using System.Reflection;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Hangfire.Storage;
using JobServer.Jobs;

namespace JobServer.Api;

/// <summary>A validated request turned into what Hangfire creates: the job (with its queue) and its first state.</summary>
internal sealed record JobPlan(Job Job, IState InitialState)
{
    /// <summary>
    /// Builds the plan, or throws <see cref="ApiFieldException"/>: the job comes only from the <see cref="JobTypes"/>
    /// registry (unknown type names <c>type</c>, argument faults name <c>args.&lt;field&gt;</c>), and a continuation's
    /// parent must exist. The queue is stored on the job itself (Hangfire's <c>Job.Queue</c>), so retries and requeues
    /// keep it; a type whose method pins its queue with <c>[Queue]</c> (cpu) refuses another.
    /// </summary>
    public static JobPlan From(JobRequest request, IStorageConnection connection)
    {
        if (!JobTypes.TryCreateJob(request.Type, request.Args, out var job, out var errors))
        {
            var first = errors[0];
            throw new ApiFieldException(first.Field == "type" ? "type" : first.Field.Length == 0 ? "args" : $"args.{first.Field}", first.Message);
        }

        var pinned = PinnedQueue(job.Method);
        if (pinned is not null && request.Queue is not null && request.Queue != pinned)
        {
            throw new ApiFieldException("queue", $"{request.Type} jobs always run on the '{pinned}' queue");
        }

        var queue = request.Queue ?? pinned ?? EnqueuedState.DefaultQueue;
        job = new Job(job.Type, job.Method, job.Args, queue);

        IState state;
        if (request.After is { } parentId)
        {
            if (connection.GetJobData(parentId.ToString(System.Globalization.CultureInfo.InvariantCulture)) is null)
            {
                throw new ApiFieldException("after", $"there is no job {parentId}");
            }

            state = new AwaitingState(parentId.ToString(System.Globalization.CultureInfo.InvariantCulture), new EnqueuedState(), request.ContinueOn);
        }
        else if (request.RunAt is { } runAt)
        {
            state = new ScheduledState(runAt.UtcDateTime);
        }
        else
        {
            state = new EnqueuedState();
        }

        return new JobPlan(job, state);
    }

    private static string? PinnedQueue(MethodInfo method) =>
        (method.GetCustomAttribute<QueueAttribute>() ?? method.DeclaringType?.GetCustomAttribute<QueueAttribute>())?.Queue;
}
