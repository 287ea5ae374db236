using JobServer.Engine.States;

namespace JobServer.Storage;

/// <summary>Creates jobs and applies operators' state changes. Every change appends a history row in the same transaction.</summary>
public interface IJobWriter
{
    /// <summary>Persists the job, its first history row and its queue or schedule row atomically; returns its id.</summary>
    long Create(NewJob job, DateTime now);

    /// <summary>Puts a finished, failed, deleted or scheduled job back on its queue with a fresh set of attempts.
    /// Refused (NotAllowed) for jobs that are Enqueued or Processing.</summary>
    StateChange Requeue(long id, string reason, DateTime now);

    /// <summary>Moves a job to Deleted and takes it off its queue or schedule; a Processing job loses its claim,
    /// which tells its server to cancel it. Refused for jobs already Deleted.</summary>
    StateChange Delete(long id, string reason, DateTime now, DateTime expireAt);
}
