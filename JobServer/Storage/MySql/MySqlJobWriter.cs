using System.Globalization;
using System.Text;
using Dapper;
using JobServer.Engine.States;
using MySql.Data.MySqlClient;

namespace JobServer.Storage.MySql;

internal sealed class MySqlJobWriter(MySqlDb db) : IJobWriter
{
    public CreatedJob Create(NewJob job, DateTime now) =>
        job.IsPlain ? CreatePlain([job], now)[0] : db.InTransaction((connection, transaction) => JobCreation.Insert(connection, transaction, job, now));

    /// <summary>Plain jobs need no lock and no decision: each one's three rows are three statements, and the whole
    /// group — one job or a hundred — goes to the server as one command in one transaction: one round trip, one commit.</summary>
    public IReadOnlyList<CreatedJob> CreatePlain(IReadOnlyList<NewJob> jobs, DateTime now)
    {
        var parameters = new DynamicParameters(new { now });
        var statements = new StringBuilder();
        var states = new JobState[jobs.Count];
        for (var n = 0; n < jobs.Count; n++)
        {
            var job = jobs[n];
            if (!job.IsPlain)
            {
                throw new ArgumentException($"Job {n} has a concurrency key or a parent; only plain jobs can be created in a group.", nameof(jobs));
            }

            states[n] = job.RunAt is { } runAt && runAt > now ? JobState.Scheduled : JobState.Enqueued;
            var suffix = n.ToString(CultureInfo.InvariantCulture);
            statements.AppendFormat(CultureInfo.InvariantCulture, states[n] == JobState.Scheduled ? JobWriterSql.CreateScheduledInGroup : JobWriterSql.CreateEnqueuedInGroup, suffix)
                .Append('\n');
            parameters.Add("type" + suffix, job.Type);
            parameters.Add("queue" + suffix, job.Queue);
            parameters.Add("args" + suffix, job.ArgsJson);
            if (states[n] == JobState.Scheduled)
            {
                parameters.Add("runAt" + suffix, job.RunAt);
                parameters.Add("reason" + suffix, JobCreation.ScheduledReason(job));
            }
        }

        return db.InOneTransaction(statements.ToString(), parameters, results =>
        {
            var created = new CreatedJob[jobs.Count];
            for (var n = 0; n < created.Length; n++)
            {
                created[n] = new CreatedJob(results.ReadSingle<long>(), states[n]);
            }

            return created;
        });
    }

    public IReadOnlyList<CreatedJob> CreateMany(IReadOnlyList<NewJob> jobs, DateTime now) =>
        db.InTransaction((connection, transaction) => JobBatchCreation.Insert(connection, transaction, jobs, now));

    public StateChange Requeue(long id, string reason, DateTime now, Func<string, string, ConcurrencyRequest?> concurrencyOf)
    {
        return db.InTransaction((connection, transaction) =>
        {
            var current = LockJob(connection, transaction, id);
            if (current is null)
            {
                return StateChange.NotFound;
            }

            if (current.State is JobState.Enqueued or JobState.Processing or JobState.Awaiting)
            {
                return new StateChange(ChangeOutcome.NotAllowed, current.State);
            }

            // Scheduled jobs still hold their lease; finished ones gave it back and must queue for it like a new job.
            var newState = JobState.Enqueued;
            if (current.State is not JobState.Scheduled && concurrencyOf(current.Type, current.Args) is { } request
                && ConcurrencyLeases.Decide(connection, transaction, request) is var lease)
            {
                if (lease == ConcurrencyLeases.Outcome.MustWait)
                {
                    connection.Execute(JobWriterSql.RequeueAwaiting, new { id }, transaction);
                    ConcurrencyLeases.Wait(connection, transaction, request, id, current.Queue, null);
                    newState = JobState.Awaiting;
                }
                else
                {
                    ConcurrencyLeases.Take(connection, transaction, request, id);
                }
            }

            if (newState == JobState.Enqueued)
            {
                connection.Execute(JobWriterSql.Requeue, new { id, queue = current.Queue }, transaction);
            }

            JobHistory.Append(connection, transaction, id, newState, now, null, reason);
            Counters.RecordTransition(connection, transaction, current.State, newState);
            return new StateChange(ChangeOutcome.Changed, current.State, newState);
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
                return new StateChange(ChangeOutcome.NotAllowed, current.State, JobState.Deleted);
            }

            if (current.State is JobState.Awaiting)
            {
                ConcurrencyLeases.LeaveLine(connection, transaction, id);
                Continuations.Forget(connection, transaction, id);
            }

            connection.Execute(JobWriterSql.Delete, new { id, now, expireAt }, transaction);
            JobHistory.Append(connection, transaction, id, JobState.Deleted, now, null, reason);
            Counters.RecordTransition(connection, transaction, current.State, JobState.Deleted);
            ConcurrencyLeases.Release(connection, transaction, id, now, null);
            Continuations.OnParentFinished(connection, transaction, id, JobState.Deleted, now, null, expireAt);
            return new StateChange(ChangeOutcome.Changed, current.State, JobState.Deleted);
        });
    }

    private static LockedJob? LockJob(MySqlConnection connection, MySqlTransaction transaction, long id)
    {
        using var results = connection.QueryMultiple(JobWriterSql.LockForChange, new { id }, transaction);
        results.Read<long>();
        results.Read<long>();
        return results.ReadSingleOrDefault<LockedJob>();
    }

    private sealed class LockedJob
    {
        public JobState State => Enum.Parse<JobState>(StateName);

        public string StateName { get; init; } = "";

        public string Queue { get; init; } = "";

        public string Type { get; init; } = "";

        public string Args { get; init; } = "{}";
    }
}
