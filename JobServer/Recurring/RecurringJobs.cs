using Hangfire;
using Hangfire.Common;
using Hangfire.Storage;

namespace JobServer.Recurring;

/// <summary>
/// Recurring jobs for the API and the configuration: Hangfire's <see cref="IRecurringJobManagerV2"/> for every
/// write, plus the pause it lacks (<see cref="RecurringPause"/>). Writes of one id through this class are serialized by
/// the distributed lock <c>jobserver:recurring:{id}</c> (Hangfire's own per-job lock is taken inside each manager call,
/// so it cannot be held around them); the scheduler never takes ours, so nothing waits in the opposite order.
/// </summary>
public sealed class RecurringJobs(JobStorage storage, IRecurringJobManagerV2 manager, ITimeZoneResolver timeZones, TimeProvider time)
{
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(15);

    public ITimeZoneResolver TimeZones => timeZones;

    /// <summary>Adds or replaces the definition; true when it was new. A paused job stays paused and resumes on the new
    /// cron.</summary>
    public bool AddOrUpdate(ValidRecurringDefinition definition)
    {
        using var connection = storage.GetConnection();
        using var _ = connection.AcquireDistributedLock(LockName(definition.Id), LockTimeout);
        var hash = ReadHash(connection, definition.Id);
        if (hash is not null && RecurringPause.IsPaused(hash))
        {
            SetFields(connection, definition.Id, new() { [RecurringPause.PausedCronField] = definition.Cron });
            manager.AddOrUpdate(definition.Id, definition.Job, Cron.Never(), definition.Options);
        }
        else
        {
            manager.AddOrUpdate(definition.Id, definition.Job, definition.Cron, definition.Options);
        }

        return hash is null;
    }

    public RecurringJobView? Get(string id)
    {
        using var connection = storage.GetConnection();
        return ReadHash(connection, id) is { } hash ? View(connection, id, hash) : null;
    }

    /// <summary>Every recurring job, by id.</summary>
    public IReadOnlyList<RecurringJobView> List()
    {
        using var connection = storage.GetConnection();
        var now = time.GetUtcNow().UtcDateTime;
        var views = new List<RecurringJobView>();
        foreach (var dto in connection.GetRecurringJobs().Where(d => !d.Removed).OrderBy(d => d.Id, StringComparer.Ordinal))
        {
            if (ReadHash(connection, dto.Id) is { } hash) views.Add(RecurringJobView.From(dto, hash, timeZones, now));
        }

        return views;
    }

    /// <summary>False when there was no such job.</summary>
    public bool Remove(string id)
    {
        using (var connection = storage.GetConnection())
        {
            if (ReadHash(connection, id) is null) return false;
        }

        manager.RemoveIfExists(id);
        return true;
    }

    /// <summary>Hangfire's <see cref="IRecurringJobManagerV2.TriggerJob"/>: one run now, paused or not, the schedule
    /// unchanged. <see cref="TriggerResult.Canceled"/> when a client filter refused to create it (a concurrency
    /// limit whose key is taken).</summary>
    public (TriggerResult Result, string? JobId) Trigger(string id)
    {
        if (Get(id) is null) return (TriggerResult.NotFound, null);
        var jobId = manager.TriggerJob(id);
        return jobId is null ? (TriggerResult.Canceled, null) : (TriggerResult.Created, jobId);
    }

    /// <summary>Stops the schedule (idempotent); null when there is no such job.</summary>
    public RecurringJobView? Pause(string id) => Steer(id, pause: true);

    /// <summary>Puts the schedule back (idempotent): the next run is the cron's next occurrence from now; occurrences
    /// that fell in the pause are not run, whatever the misfire mode.</summary>
    public RecurringJobView? Resume(string id) => Steer(id, pause: false);

    private RecurringJobView? Steer(string id, bool pause)
    {
        using var connection = storage.GetConnection();
        using (connection.AcquireDistributedLock(LockName(id), LockTimeout))
        {
            var hash = ReadHash(connection, id);
            if (hash is null) return null;
            if (RecurringPause.IsPaused(hash) != pause)
            {
                var dto = connection.GetRecurringJobs([id]).Single();
                if (dto.Job is null) throw new InvalidOperationException($"Recurring job '{id}' cannot be {(pause ? "paused" : "resumed")}: its job does not load ({dto.LoadException?.Message}).");
                var options = OptionsOf(hash);
                if (pause)
                {
                    // The cron first: until Cron.Never is written the job is not paused, whatever the field says.
                    SetFields(connection, id, new() { [RecurringPause.PausedCronField] = dto.Cron });
                    manager.AddOrUpdate(id, dto.Job, Cron.Never(), options);
                }
                else
                {
                    Resume(connection, id, hash, dto.Job, options);
                }
            }
        }

        return ReadHash(connection, id) is { } after ? View(connection, id, after) : null;
    }

    private void Resume(IStorageConnection connection, string id, Dictionary<string, string> hash, Job job, RecurringJobOptions options)
    {
        if (options.MisfireHandling == MisfireHandlingMode.Strict)
        {
            // Strict runs every occurrence since the last execution; from now, so the paused ones are not made up for.
            SetFields(connection, id, new() { ["LastExecution"] = JobHelper.SerializeDateTime(time.GetUtcNow().UtcDateTime) });
        }

        manager.AddOrUpdate(id, job, hash[RecurringPause.PausedCronField], options);
        SetFields(connection, id, new() { [RecurringPause.PausedCronField] = "" });
    }

    /// <summary>The options a stored job has, so rewriting its cron changes nothing else.</summary>
    private RecurringJobOptions OptionsOf(Dictionary<string, string> hash)
    {
        var zoneId = hash.TryGetValue("TimeZoneId", out var id) && !string.IsNullOrWhiteSpace(id) ? id : TimeZoneInfo.Utc.Id;
        var options = new RecurringJobOptions
        {
            TimeZone = timeZones.GetTimeZoneById(zoneId),
            MisfireHandling = hash.TryGetValue("Misfire", out var misfire) && Enum.TryParse<MisfireHandlingMode>(misfire, out var mode) ? mode : MisfireHandlingMode.Relaxed,
        };
#pragma warning disable CS0618 // A queue set through Hangfire's obsolete option is kept, not reset to "default".
        if (hash.TryGetValue("Queue", out var queue) && !string.IsNullOrWhiteSpace(queue)) options.QueueName = queue;
#pragma warning restore CS0618
        return options;
    }

    private RecurringJobView View(IStorageConnection connection, string id, Dictionary<string, string> hash) =>
        RecurringJobView.From(connection.GetRecurringJobs([id]).Single(), hash, timeZones, time.GetUtcNow().UtcDateTime);

    private static Dictionary<string, string>? ReadHash(IStorageConnection connection, string id) =>
        connection.GetAllEntriesFromHash($"recurring-job:{id}") is { Count: > 0 } hash ? hash : null;

    private static void SetFields(IStorageConnection connection, string id, Dictionary<string, string> fields)
    {
        using var transaction = connection.CreateWriteTransaction();
        transaction.SetRangeInHash($"recurring-job:{id}", fields);
        transaction.Commit();
    }

    private static string LockName(string id) => $"jobserver:recurring:{id}";
}

public enum TriggerResult
{
    Created,
    NotFound,
    Canceled,
}
