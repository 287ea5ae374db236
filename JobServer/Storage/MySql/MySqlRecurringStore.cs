using Dapper;
using JobServer.Engine.States;
using MySql.Data.MySqlClient;

namespace JobServer.Storage.MySql;

internal sealed class MySqlRecurringStore(MySqlDb db) : IRecurringStore
{
    public bool Upsert(RecurringDefinition definition, DateTime nextRunAt, DateTime now)
    {
        try
        {
            return UpsertOnce(definition, nextRunAt, now);
        }
        catch (MySqlException ex) when (ex.Number == 1062)
        {
            // Another server inserted the same new id between our locking read (which finds no row to lock) and our
            // insert; the row exists now, so a second attempt updates it.
            return UpsertOnce(definition, nextRunAt, now);
        }
    }

    private bool UpsertOnce(RecurringDefinition definition, DateTime nextRunAt, DateTime now)
    {
        return db.InTransaction((connection, transaction) =>
        {
            var current = connection.QuerySingleOrDefault<ScheduleRow>(RecurringSql.LockOne, new { id = definition.Id }, transaction);
            var parameters = new
            {
                id = definition.Id,
                cron = definition.Cron,
                timeZone = definition.TimeZone,
                type = definition.Type,
                args = definition.ArgsJson,
                queue = definition.Queue,
                misfire = definition.Misfire.ToString(),
                nextRunAt,
                now,
                scheduleChanged = current is not null && (current.Cron != definition.Cron || current.TimeZone != definition.TimeZone),
            };
            connection.Execute(current is null ? RecurringSql.Insert : RecurringSql.Update, parameters, transaction);
            return current is null;
        });
    }

    public RecurringJobInfo? Get(string id) =>
        db.Run(connection => connection.QuerySingleOrDefault<RecurringRow>(RecurringSql.SelectOne, new { id })?.ToInfo());

    public IReadOnlyList<RecurringJobInfo> List() =>
        db.Run(connection => connection.Query<RecurringRow>(RecurringSql.SelectAll).Select(r => r.ToInfo()).ToList());

    public bool Remove(string id) =>
        db.Run(connection => connection.Execute(RecurringSql.Delete, new { id })) == 1;

    public bool SetPaused(string id, bool paused, DateTime nextRunAt, DateTime now) =>
        db.Run(connection => connection.Execute(RecurringSql.SetPaused, new { id, paused, nextRunAt, now })) == 1;

    public RecurringFireResult FireDue(DateTime now, int max, Func<RecurringJobInfo, RecurringFire> plan)
    {
        return db.InTransaction((connection, transaction) =>
        {
            var due = connection.Query<RecurringRow>(RecurringSql.SelectDueForFiring, new { now, max }, transaction).Select(r => r.ToInfo()).ToList();
            int fired = 0, skipped = 0;
            var queues = new HashSet<string>();
            foreach (var definition in due)
            {
                var decision = plan(definition);
                CreatedJob? created = null;
                if (decision.Job is not null)
                {
                    try
                    {
                        created = JobCreation.Insert(connection, transaction, decision.Job, now);
                    }
                    catch (ConcurrencyLimitReachedException)
                    {
                        // The key is still held by an earlier run: this occurrence is skipped, as a rejecting type asks.
                    }
                }

                if (created is not null)
                {
                    connection.Execute(RecurringSql.InsertRun, new { id = definition.Definition.Id, occurrence = decision.Occurrence, jobId = created.Id }, transaction);
                    fired++;
                    if (created.State == JobState.Enqueued)
                    {
                        queues.Add(decision.Job!.Queue);
                    }
                }
                else
                {
                    skipped++;
                }

                connection.Execute(
                    RecurringSql.RecordFired,
                    new
                    {
                        id = definition.Definition.Id,
                        nextRunAt = decision.NextRunAt,
                        occurrence = created is null ? (DateTime?)null : decision.Occurrence,
                        jobId = created?.Id,
                        expectedNextRunAt = definition.NextRunAt,
                    },
                    transaction);
            }

            return due.Count == 0 ? RecurringFireResult.None : new RecurringFireResult(fired, skipped, queues);
        });
    }

    public CreatedJob? Trigger(string id, DateTime now, Func<RecurringJobInfo, NewJob> job)
    {
        return db.InTransaction((connection, transaction) =>
        {
            var definition = connection.QuerySingleOrDefault<RecurringRow>(RecurringSql.SelectForTrigger, new { id }, transaction)?.ToInfo();
            if (definition is null)
            {
                return null;
            }

            var created = JobCreation.Insert(connection, transaction, job(definition), now);
            connection.Execute(RecurringSql.InsertRun, new { id, occurrence = now, jobId = created.Id }, transaction);
            connection.Execute(RecurringSql.RecordTriggered, new { id, now, jobId = created.Id }, transaction);
            return created;
        });
    }

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    private sealed class ScheduleRow
    {
        public string Cron { get; init; } = "";

        public string TimeZone { get; init; } = "";
    }

    private sealed class RecurringRow
    {
        public string Id { get; init; } = "";
        public string Cron { get; init; } = "";
        public string TimeZone { get; init; } = "";
        public string Type { get; init; } = "";
        public string ArgsJson { get; init; } = "{}";
        public string Queue { get; init; } = "";
        public string Misfire { get; init; } = nameof(MisfirePolicy.FireOnce);
        public bool Paused { get; init; }
        public DateTime NextRunAt { get; init; }
        public DateTime? LastRunAt { get; init; }
        public long? LastJobId { get; init; }
        public string? LastJobState { get; init; }
        public DateTime CreatedAt { get; init; }
        public DateTime UpdatedAt { get; init; }

        public RecurringJobInfo ToInfo() => new(
            new RecurringDefinition(Id, Cron, TimeZone, Type, ArgsJson, Queue, Enum.Parse<MisfirePolicy>(Misfire)),
            Paused,
            Utc(NextRunAt),
            LastRunAt is { } last ? Utc(last) : null,
            LastJobId,
            LastJobState is null ? null : Enum.Parse<JobState>(LastJobState),
            Utc(CreatedAt),
            Utc(UpdatedAt));
    }
}
