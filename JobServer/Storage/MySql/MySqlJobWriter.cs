using Dapper;
using JobServer.Engine.States;
using MySql.Data.MySqlClient;

namespace JobServer.Storage.MySql;

internal sealed class MySqlJobWriter(MySqlDb db) : IJobWriter
{
    public long Create(NewJob job, DateTime now)
    {
        var scheduled = job.RunAt is { } runAt && runAt > now;
        var sql = scheduled ? JobWriterSql.CreateScheduled : JobWriterSql.CreateEnqueued;
        var reason = scheduled ? $"Scheduled to run at {job.RunAt:O}" : null;
        return db.InTransaction((connection, transaction) => connection.ExecuteScalar<long>(
            sql,
            new { type = job.Type, queue = job.Queue, args = job.ArgsJson, now, runAt = job.RunAt, reason },
            transaction));
    }

    public StateChange Requeue(long id, string reason, DateTime now)
    {
        return db.InTransaction((connection, transaction) =>
        {
            var current = LockJob(connection, transaction, id);
            if (current is null)
            {
                return StateChange.NotFound;
            }

            if (current.State is JobState.Enqueued or JobState.Processing)
            {
                return new StateChange(ChangeOutcome.NotAllowed, current.State);
            }

            connection.Execute(JobWriterSql.Requeue, new { id, queue = current.Queue }, transaction);
            JobHistory.Append(connection, transaction, id, JobState.Enqueued, now, null, reason);
            Counters.RecordTransition(connection, transaction, current.State, JobState.Enqueued);
            return new StateChange(ChangeOutcome.Changed, current.State);
        });
    }

    public StateChange Delete(long id, string reason, DateTime now, DateTime expireAt)
    {
        return db.InTransaction((connection, transaction) =>
        {
            var current = LockJob(connection, transaction, id);
            if (current is null)
            {
                return StateChange.NotFound;
            }

            if (current.State is JobState.Deleted)
            {
                return new StateChange(ChangeOutcome.NotAllowed, current.State);
            }

            connection.Execute(JobWriterSql.Delete, new { id, now, expireAt }, transaction);
            JobHistory.Append(connection, transaction, id, JobState.Deleted, now, null, reason);
            Counters.RecordTransition(connection, transaction, current.State, JobState.Deleted);
            return new StateChange(ChangeOutcome.Changed, current.State);
        });
    }

    private static LockedJob? LockJob(MySqlConnection connection, MySqlTransaction transaction, long id)
    {
        using var results = connection.QueryMultiple(JobWriterSql.LockForChange, new { id }, transaction);
        results.Read<long>();
        results.Read<long>();
        var row = results.ReadSingleOrDefault<LockedJobRow>();
        return row is null ? null : new LockedJob(Enum.Parse<JobState>(row.State), row.Queue);
    }

    private sealed record LockedJob(JobState State, string Queue);

    private sealed class LockedJobRow
    {
        public string State { get; init; } = "";

        public string Queue { get; init; } = "";
    }
}
