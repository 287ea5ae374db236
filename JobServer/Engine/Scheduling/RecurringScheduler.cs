using JobServer.Engine.Processing;
using JobServer.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JobServer.Engine.Scheduling;

/// <summary>
/// Fires due recurring jobs, from every server. The store claims each due definition with SKIP LOCKED and writes its
/// job, its occurrence and its next run in one transaction, so servers never duplicate an occurrence. After downtime
/// the next run is computed from now: missed occurrences fire once together (or not at all, per misfire policy).
/// </summary>
internal sealed partial class RecurringScheduler(
    IRecurringStore store,
    RecurringJobManager manager,
    CronScheduleCache schedules,
    EngineSignals signals,
    IOptions<JobServerOptions> options,
    TimeProvider time,
    ILogger<RecurringScheduler> logger) : IBackgroundProcess
{
    public string Name => "Recurring scheduler";

    public TimeSpan Interval => options.Value.SchedulePollInterval;

    public int BatchSize => 100;

    public Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var result = store.FireDue(now, BatchSize, info => Plan(info, now));
        if (result.Queues.Count > 0)
        {
            signals.WorkAvailable.Set();
        }

        if (result.Skipped > 0)
        {
            LogSkipped(logger, result.Skipped);
        }

        return Task.FromResult(result.Fired + result.Skipped);
    }

    internal RecurringFire Plan(RecurringJobInfo info, DateTime now)
    {
        var definition = info.Definition;
        var next = schedules.Get(definition.Cron, definition.TimeZone).NextAfter(now);
        var missed = now - info.NextRunAt > options.Value.RecurringMisfireThreshold;
        var job = missed && definition.Misfire == MisfirePolicy.Skip ? null : manager.JobFor(definition);
        return new RecurringFire(job, info.NextRunAt, next);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Skipped {Count} recurring occurrence(s): missed (misfire policy Skip) or their concurrency key was held")]
    private static partial void LogSkipped(ILogger logger, int count);
}
