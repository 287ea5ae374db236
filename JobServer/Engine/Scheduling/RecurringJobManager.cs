using System.Text.RegularExpressions;
using JobServer.Engine.Processing;
using JobServer.Engine.States;
using JobServer.Jobs;
using JobServer.Storage;

namespace JobServer.Engine.Scheduling;

internal sealed partial class RecurringJobManager(
    IRecurringStore store,
    JobTypeRegistry registry,
    CronScheduleCache schedules,
    EngineSignals signals,
    TimeProvider time) : IRecurringJobManager
{
    public bool AddOrUpdate(string id, string cron, string type, object? args = null, RecurringJobOptions? options = null)
    {
        var jobType = FindType(type);
        return Save(id, cron, jobType, JobArguments.FromObject(jobType, args).Json, options);
    }

    public bool AddOrUpdate<TJob>(string id, string cron, object? args = null, RecurringJobOptions? options = null)
    {
        var jobType = registry.FindByHandler(typeof(TJob)) ?? throw new InvalidOperationException($"{typeof(TJob).Name} is not registered as a job type.");
        return Save(id, cron, jobType, JobArguments.FromObject(jobType, args).Json, options);
    }

    public bool AddOrUpdateJson(string id, string cron, string type, string? argsJson, RecurringJobOptions? options = null)
    {
        var jobType = FindType(type);
        return Save(id, cron, jobType, JobArguments.Parse(jobType, argsJson).Json, options);
    }

    public bool Remove(string id) => IsValidId(id) && store.Remove(id);

    public CreatedJob? Trigger(string id)
    {
        if (!IsValidId(id))
        {
            return null;
        }

        var created = store.Trigger(id, Now(), definition => JobFor(definition.Definition));
        if (created?.State == JobState.Enqueued)
        {
            signals.WorkAvailable.Set();
        }

        return created;
    }

    public bool Pause(string id) => IsValidId(id) && store.SetPaused(id, paused: true, Now(), Now());

    public bool Resume(string id)
    {
        var info = IsValidId(id) ? store.Get(id) : null;
        return info is not null
            && store.SetPaused(id, paused: false, schedules.Get(info.Definition.Cron, info.Definition.TimeZone).NextAfter(Now()), Now());
    }

    public RecurringJobView? Get(string id, int nextOccurrences = 5) => IsValidId(id) && store.Get(id) is { } info ? View(info, nextOccurrences) : null;

    public IReadOnlyList<RecurringJobView> List(int nextOccurrences = 1) => store.List().Select(info => View(info, nextOccurrences)).ToList();

    /// <summary>The job an occurrence creates. A type this server does not know is still created (a server that
    /// knows it will run it); it just has no concurrency lease to take here.</summary>
    internal NewJob JobFor(RecurringDefinition definition)
    {
        var type = registry.Find(definition.Type);
        var lease = type is null ? null : ConcurrencyKeys.For(type, JobArguments.Read(type, definition.ArgsJson));
        return new NewJob(definition.Type, definition.Queue, definition.ArgsJson, Concurrency: lease);
    }

    private bool Save(string id, string cron, JobType type, string argsJson, RecurringJobOptions? options)
    {
        if (!IsValidId(id))
        {
            throw new JobValidationException("id", "must be 1-100 characters of letters, digits, '.', '_', ':' or '-'");
        }

        var schedule = CronSchedule.Parse(cron, options?.TimeZone);
        var queue = options?.Queue ?? type.Options.Queue;
        if (!QueueName.IsValid(queue))
        {
            throw new JobValidationException("queue", "must be 1-50 characters of a-z, 0-9, '_' or '-'");
        }

        var definition = new RecurringDefinition(id, schedule.Expression, schedule.TimeZoneId, type.Name, argsJson, queue, options?.Misfire ?? MisfirePolicy.FireOnce);
        return store.Upsert(definition, schedule.NextAfter(Now()), Now());
    }

    private RecurringJobView View(RecurringJobInfo info, int nextOccurrences)
    {
        var schedule = schedules.Get(info.Definition.Cron, info.Definition.TimeZone);
        var from = info.Paused ? Now() : info.NextRunAt.AddTicks(-1);
        return new RecurringJobView(info, schedule.Describe(), schedule.NextOccurrences(from, Math.Clamp(nextOccurrences, 0, 50)));
    }

    private JobType FindType(string name) =>
        registry.Find(name) ?? throw new JobValidationException("type", $"unknown job type '{(name.Length <= 100 ? name : name[..100] + "…")}'; known types: {string.Join(", ", registry.All.Select(t => t.Name).Order())}");

    private DateTime Now() => time.GetUtcNow().UtcDateTime;

    /// <summary>
    /// Whether <paramref name="id"/> is one a definition can have. Lookups check it too, not only saves: the id column
    /// compares with PAD SPACE (MySQL's and MariaDB's utf8mb4_bin ignore trailing spaces), so "nightly " would
    /// otherwise find, trigger or delete "nightly".
    /// </summary>
    private static bool IsValidId(string? id) => !string.IsNullOrEmpty(id) && ValidId().IsMatch(id);

    // \z, not $: $ also matches before a trailing newline.
    [GeneratedRegex(@"^[A-Za-z0-9._:-]{1,100}\z")]
    private static partial Regex ValidId();
}
