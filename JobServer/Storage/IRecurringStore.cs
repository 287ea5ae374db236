namespace JobServer.Storage;

public interface IRecurringStore
{
    /// <summary>Creates or updates a definition. An update keeps the pause flag and the last run, and keeps the next
    /// run unless the cron or time zone changed — so redefining jobs at every start-up never loses a due occurrence.</summary>
    /// <returns>True when the definition was created.</returns>
    bool Upsert(RecurringDefinition definition, DateTime nextRunAt, DateTime now);

    RecurringJobInfo? Get(string id);

    IReadOnlyList<RecurringJobInfo> List();

    bool Remove(string id);

    /// <summary>Pauses (no occurrence fires) or resumes (from <paramref name="nextRunAt"/>, so occurrences that
    /// passed while paused do not fire). False when there is no such definition.</summary>
    bool SetPaused(string id, bool paused, DateTime nextRunAt, DateTime now);

    /// <summary>
    /// Fires up to <paramref name="max"/> due definitions. Each definition is claimed with SKIP LOCKED, and its job,
    /// its occurrence row and its next run are written in one transaction: exactly one job per occurrence, whatever
    /// the number of servers checking.
    /// </summary>
    RecurringFireResult FireDue(DateTime now, int max, Func<RecurringJobInfo, RecurringFire> plan);

    /// <summary>Creates the definition's job now, outside its schedule; null when there is no such definition.</summary>
    CreatedJob? Trigger(string id, DateTime now, Func<RecurringJobInfo, NewJob> job);
}
