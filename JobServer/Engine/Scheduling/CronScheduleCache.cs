using System.Collections.Concurrent;

namespace JobServer.Engine.Scheduling;

/// <summary>Parsed schedules by (cron, time zone): the due-check runs several times a second and parses nothing twice.</summary>
internal sealed class CronScheduleCache
{
    private readonly ConcurrentDictionary<(string Cron, string TimeZone), CronSchedule> _schedules = new();

    public CronSchedule Get(string cron, string timeZone) =>
        _schedules.GetOrAdd((cron, timeZone), key => CronSchedule.Parse(key.Cron, key.TimeZone));
}
