using JobServer.Engine.States;

namespace JobServer.Storage;

/// <summary>What happens to occurrences that passed while no server was running.</summary>
public enum MisfirePolicy
{
    /// <summary>The first due-check creates one job for all of them together (the default).</summary>
    FireOnce,

    /// <summary>Occurrences older than the misfire threshold are skipped; the schedule resumes with the next one.</summary>
    Skip,
}

/// <summary>A recurring job: which job to create, on which cron schedule, in which time zone.</summary>
public sealed record RecurringDefinition(string Id, string Cron, string TimeZone, string Type, string ArgsJson, string Queue, MisfirePolicy Misfire);

public sealed record RecurringJobInfo(
    RecurringDefinition Definition,
    bool Paused,
    DateTime NextRunAt,
    DateTime? LastRunAt,
    long? LastJobId,
    JobState? LastJobState,
    DateTime CreatedAt,
    DateTime UpdatedAt);

/// <summary>The scheduler's decision for one due definition: the job to create for <see cref="Occurrence"/> (null to
/// skip it) and the definition's next run.</summary>
public sealed record RecurringFire(NewJob? Job, DateTime Occurrence, DateTime NextRunAt);

public sealed record RecurringFireResult(int Fired, int Skipped, IReadOnlyCollection<string> Queues)
{
    public static readonly RecurringFireResult None = new(0, 0, []);
}
