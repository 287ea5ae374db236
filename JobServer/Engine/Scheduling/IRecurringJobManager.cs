using JobServer.Storage;

namespace JobServer.Engine.Scheduling;

/// <summary>
/// Defines and steers recurring jobs, in the manner of Hangfire's RecurringJobManager. Definitions live in the
/// database, so every server sees the same ones and exactly one job is created per occurrence however many servers
/// run. Every method validates before writing (<see cref="JobValidationException"/> names the field).
/// </summary>
public interface IRecurringJobManager
{
    /// <summary>Creates or updates a definition. Updating keeps its pause flag, last run and — unless the cron or time
    /// zone changed — its next run, so redefining at every start-up never loses a due occurrence.</summary>
    /// <returns>True when it was created.</returns>
    bool AddOrUpdate(string id, string cron, string type, object? args = null, RecurringJobOptions? options = null);

    bool AddOrUpdate<TJob>(string id, string cron, object? args = null, RecurringJobOptions? options = null);

    /// <summary>As <see cref="AddOrUpdate(string, string, string, object?, RecurringJobOptions?)"/>, with the arguments as JSON (the API's form).</summary>
    bool AddOrUpdateJson(string id, string cron, string type, string? argsJson, RecurringJobOptions? options = null);

    bool Remove(string id);

    /// <summary>Creates the job now, outside the schedule; null when there is no such definition.</summary>
    CreatedJob? Trigger(string id);

    bool Pause(string id);

    /// <summary>Resumes from the next occurrence after now: occurrences that passed while paused do not fire.</summary>
    bool Resume(string id);

    RecurringJobView? Get(string id, int nextOccurrences = 5);

    IReadOnlyList<RecurringJobView> List(int nextOccurrences = 1);
}
