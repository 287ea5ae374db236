namespace JobServer.Engine.States;

/// <summary>The states of a job, named as in Hangfire. Stored by name.</summary>
public enum JobState
{
    Enqueued,
    Scheduled,
    Awaiting,
    Processing,
    Succeeded,
    Failed,
    Deleted,
}
