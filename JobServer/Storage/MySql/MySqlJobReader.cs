using System.Text.Json;
using Dapper;
using MySql.Data.MySqlClient;
using JobServer.Engine.States;

namespace JobServer.Storage.MySql;

internal sealed class MySqlJobReader(MySqlDb db) : IJobReader
{
    public JobDetails? GetJob(long id)
    {
        return db.Run(connection =>
        {
            var row = connection.QuerySingleOrDefault<JobRow>(JobReaderSql.SelectJob, new { id });
            if (row is null)
            {
                return null;
            }

            var history = connection.Query<HistoryRow>(JobReaderSql.SelectHistory, new { id })
                .Select(h => new HistoryEntry(Enum.Parse<JobState>(h.State), Utc(h.At), h.ServerId, h.Reason, h.ExceptionType, h.ExceptionMessage, h.ExceptionDetails))
                .ToList();
            var continuations = connection.Query<(long Id, string Type, string State)>(JobReaderSql.SelectContinuations, new { id })
                .Select(c => new JobLink(c.Id, c.Type, Enum.Parse<JobState>(c.State)))
                .ToList();
            return new JobDetails(row.ToSummary(), row.ArgsJson, row.ResultJson, history, row.ParentId, continuations);
        });
    }

    public JobPage ListJobs(JobQuery query)
    {
        var filters = new List<string>();
        if (query.State is not null)
        {
            filters.Add(JobReaderSql.FilterState);
        }

        if (query.Queue is not null)
        {
            filters.Add(JobReaderSql.FilterQueue);
        }

        if (query.Type is not null)
        {
            filters.Add(JobReaderSql.FilterType);
        }

        var where = filters.Count == 0 ? "" : "WHERE " + string.Join(" AND ", filters);
        var parameters = new
        {
            state = query.State?.ToString(),
            queue = query.Queue,
            type = query.Type,
            limit = query.PageSize,
            offset = (long)(query.Page - 1) * query.PageSize,
        };

        return db.Run(connection =>
        {
            var items = connection.Query<JobRow>($"{JobReaderSql.SelectPagePrefix}\n{where}\n{JobReaderSql.SelectPageSuffix}", parameters)
                .Select(r => r.ToSummary())
                .ToList();
            long total;
            if (query.Queue is null && query.Type is null)
            {
                // Totals by state come from the counters: never a COUNT(*) over millions of finished jobs.
                var states = ReadStats(connection).States;
                total = query.State is { } state ? states[state] : states.Values.Sum();
            }
            else
            {
                total = connection.ExecuteScalar<long>($"{JobReaderSql.CountPrefix}\n{where}", parameters);
            }

            return new JobPage(items, total);
        });
    }

    public KeysetPage ListJobsBefore(JobState state, string? queue, string? type, long? beforeId, int pageSize)
    {
        var sql = string.Join(
            "\n",
            JobReaderSql.SelectBeforePrefix,
            queue is null ? "" : JobReaderSql.AndQueue,
            type is null ? "" : JobReaderSql.AndType,
            JobReaderSql.SelectBeforeSuffix);
        var rows = db.Run(connection => connection.Query<JobRow>(
            sql,
            new { state = state.ToString(), queue, type, beforeId = beforeId ?? long.MaxValue, limit = pageSize + 1 }).ToList());
        var items = rows.Take(pageSize).Select(r => r.ToSummary()).ToList();
        return new KeysetPage(items, rows.Count > pageSize ? items[^1].Id : null);
    }

    public IReadOnlyList<HourlyCount> GetHourlyCounts(DateTime fromHour, int hours)
    {
        var start = new DateTime(fromHour.Year, fromHour.Month, fromHour.Day, fromHour.Hour, 0, 0, DateTimeKind.Utc);
        var counters = db.Run(connection => connection.Query<CounterRow>(
                JobReaderSql.SelectCountersInRange,
                new { from = Counters.HourPrefix(start), to = Counters.HourPrefix(start.AddHours(hours)) })
            .ToDictionary(c => c.Name, c => c.Value));
        return Enumerable.Range(0, hours)
            .Select(i => start.AddHours(i))
            .Select(hour => new HourlyCount(
                hour,
                counters.GetValueOrDefault(Counters.HourCounter(hour, JobState.Succeeded)),
                counters.GetValueOrDefault(Counters.HourCounter(hour, JobState.Failed))))
            .ToList();
    }

    public IReadOnlyList<QueueInfo> GetQueues()
    {
        return db.Run(connection =>
        {
            var stats = ReadStats(connection);
            var oldest = connection.Query<OldestRow>(JobReaderSql.SelectOldestWaiting).ToDictionary(o => o.Queue, o => Utc(o.CreatedAt));
            return stats.Queues
                .Select(q => new QueueInfo(q.Key, q.Value, oldest.TryGetValue(q.Key, out var since) ? since : null))
                .ToList();
        });
    }

    public IReadOnlyList<ServerInfo> GetServers() =>
        db.Run(connection => connection.Query<ServerRow>(JobReaderSql.SelectServers).Select(s => s.ToInfo()).ToList());

    public StatsSnapshot GetStats() => db.Run(ReadStats);

    public bool Ping()
    {
        try
        {
            return db.Run(connection => connection.ExecuteScalar<int>(JobReaderSql.Ping)) == 1;
        }
        catch (StorageUnavailableException)
        {
            return false;
        }
    }

    private static StatsSnapshot ReadStats(MySqlConnection connection)
    {
        using var results = connection.QueryMultiple(JobReaderSql.SelectQueueCounts);
        var ready = results.Read<QueueCountRow>().ToList();
        var scheduled = results.Read<ScheduledCountRow>().ToList();
        var awaiting = results.Read<AwaitingCountRow>().ToList();
        var counters = results.Read<CounterRow>().ToDictionary(c => c.Name, c => c.Value);

        var queues = new SortedDictionary<string, QueueStats>(StringComparer.Ordinal);
        foreach (var name in ready.Select(r => r.Queue).Concat(scheduled.Select(s => s.Queue)).Concat(awaiting.Select(a => a.Queue)).Distinct())
        {
            var r = ready.FirstOrDefault(x => x.Queue == name);
            var s = scheduled.FirstOrDefault(x => x.Queue == name);
            var a = awaiting.FirstOrDefault(x => x.Queue == name);
            queues[name] = new QueueStats(r?.Ready ?? 0, r?.Claimed ?? 0, s?.Scheduled ?? 0, a?.Awaiting ?? 0);
        }

        var states = Enum.GetValues<JobState>().ToDictionary(s => s, _ => 0L);
        states[JobState.Enqueued] = queues.Values.Sum(q => q.Enqueued);
        states[JobState.Processing] = queues.Values.Sum(q => q.Processing);
        states[JobState.Scheduled] = queues.Values.Sum(q => q.Scheduled);
        states[JobState.Awaiting] = queues.Values.Sum(q => q.Awaiting);
        foreach (var state in Counters.CountedStates)
        {
            states[state] = counters.GetValueOrDefault(Counters.StateCounter(state));
        }

        var totals = Counters.Outcomes.ToDictionary(s => s, s => counters.GetValueOrDefault(Counters.TotalCounter(s)));
        return new StatsSnapshot(states, queues, totals);
    }

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    private static DateTime? Utc(DateTime? value) => value is { } v ? Utc(v) : null;

    private sealed class JobRow
    {
        public long Id { get; init; }
        public string Type { get; init; } = "";
        public string Queue { get; init; } = "";
        public string State { get; init; } = "";
        public int Attempts { get; init; }
        public DateTime CreatedAt { get; init; }
        public DateTime? StartedAt { get; init; }
        public DateTime? FinishedAt { get; init; }
        public long? ProgressDone { get; init; }
        public long? ProgressTotal { get; init; }
        public string ArgsJson { get; init; } = "{}";
        public string? ResultJson { get; init; }
        public long? ParentId { get; init; }

        public JobSummary ToSummary() => new(
            Id,
            Type,
            Queue,
            Enum.Parse<JobState>(State),
            Attempts,
            Utc(CreatedAt),
            Utc(StartedAt),
            Utc(FinishedAt),
            ProgressTotal is { } total ? new JobProgress(ProgressDone ?? 0, total) : null);
    }

    private sealed class HistoryRow
    {
        public string State { get; init; } = "";
        public DateTime At { get; init; }
        public string? ServerId { get; init; }
        public string? Reason { get; init; }
        public string? ExceptionType { get; init; }
        public string? ExceptionMessage { get; init; }
        public string? ExceptionDetails { get; init; }
    }

    private sealed class ServerRow
    {
        public string Id { get; init; } = "";
        public string Queues { get; init; } = "[]";
        public int Workers { get; init; }
        public int Busy { get; init; }
        public DateTime StartedAt { get; init; }
        public DateTime HeartbeatAt { get; init; }

        public ServerInfo ToInfo() => new(Id, JsonSerializer.Deserialize<List<string>>(Queues) ?? [], Workers, Busy, Utc(StartedAt), Utc(HeartbeatAt));
    }

    private sealed class QueueCountRow
    {
        public string Queue { get; init; } = "";
        public long Ready { get; init; }
        public long Claimed { get; init; }
    }

    private sealed class ScheduledCountRow
    {
        public string Queue { get; init; } = "";
        public long Scheduled { get; init; }
    }

    private sealed class AwaitingCountRow
    {
        public string Queue { get; init; } = "";
        public long Awaiting { get; init; }
    }

    private sealed class OldestRow
    {
        public string Queue { get; init; } = "";
        public DateTime CreatedAt { get; init; }
    }

    private sealed class CounterRow
    {
        public string Name { get; init; } = "";
        public long Value { get; init; }
    }
}
