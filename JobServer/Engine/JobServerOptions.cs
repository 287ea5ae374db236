using System.ComponentModel.DataAnnotations;

namespace JobServer.Engine;

/// <summary>The engine's settings, bound from the <c>JobServer</c> configuration section.</summary>
public sealed class JobServerOptions
{
    public const string SectionName = "JobServer";

    /// <summary>Shown on the servers page; unique per process is best. Default "{machine}:{process id}".</summary>
    [MaxLength(150)]
    public string? ServerName { get; set; }

    /// <summary>False: this process only creates, reads and steers jobs (a web front end), leaving processing to other
    /// servers on the same database. Default true.</summary>
    public bool ProcessJobs { get; set; } = true;

    /// <summary>Queues this server works, in priority order (earlier queues are fetched first), each with its own
    /// workers. Default: one "default" queue with 10 workers, and "cpu" with one worker per core.</summary>
    public List<QueueOptions> Queues { get; set; } = [];

    /// <summary>Jobs claimed per database round trip at most, bounded by idle workers. Default 100.</summary>
    [Range(1, 1000)]
    public int FetchBatchSize { get; set; } = 100;

    /// <summary>Longest wait between polls of an idle queue; the wait grows from 25 ms up to this. In-process enqueues
    /// wake workers at once regardless. Default 500 ms.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How often scheduled jobs and retries are checked for being due. Default 250 ms.</summary>
    public TimeSpan SchedulePollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>A recurring occurrence due longer ago than this counts as missed (servers were down); missed ones fire
    /// once together, or are skipped under <see cref="Storage.MisfirePolicy.Skip"/>. Default 1 min.</summary>
    public TimeSpan RecurringMisfireThreshold { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Recurring jobs defined in configuration, by id: <c>JobServer:Recurring:{id}:Cron</c>, <c>:Type</c>,
    /// <c>:Args</c> (an object), <c>:TimeZone</c>, <c>:Queue</c>, <c>:Misfire</c>. Applied at start-up.</summary>
    public Dictionary<string, RecurringJobSettings> Recurring { get; set; } = [];

    /// <summary>How often this server proves it is alive. Default 5 s.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A server silent for this long is dead: its jobs go back to the queue. Default 30 s.</summary>
    public TimeSpan ServerTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often running jobs are checked for having been deleted by another process. Default 1 s.</summary>
    public TimeSpan CancellationCheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>After a running job's token is signalled (timeout, deletion), how long its handler gets to stop before
    /// the worker slot is taken back; a handler that ignores its token is then left to finish on its own and its
    /// outcome is not recorded. Default 5 s.</summary>
    public TimeSpan CancellationGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>On shutdown, running jobs are signalled to stop and get this long to finish; the rest are requeued. Default 15 s.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long Succeeded jobs stay visible before they expire. Default 1 day.</summary>
    public TimeSpan SucceededRetention { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How long Deleted jobs stay visible before they expire. Default 1 day.</summary>
    public TimeSpan DeletedRetention { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How often expired jobs are removed. Default 1 min.</summary>
    public TimeSpan ExpirationInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often counter deltas are folded into the dashboard counters. Default 2 s.</summary>
    public TimeSpan CounterAggregationInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The queues to run: the configured ones, or the defaults when none are configured.</summary>
    public IReadOnlyList<QueueOptions> EffectiveQueues() =>
        Queues.Count > 0
            ? Queues
            : [new QueueOptions { Name = "default", Workers = 10 }, new QueueOptions { Name = "cpu", Workers = 0 }];

    public string EffectiveServerName() =>
        string.IsNullOrWhiteSpace(ServerName) ? $"{Environment.MachineName.ToLowerInvariant()}:{Environment.ProcessId}" : ServerName;
}
