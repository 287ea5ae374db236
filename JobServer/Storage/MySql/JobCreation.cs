using Dapper;
using JobServer.Engine.States;
using MySql.Data.MySqlClient;

namespace JobServer.Storage.MySql;

/// <summary>
/// Inserts a new job inside the caller's transaction — for the client, the recurring scheduler and continuations
/// alike — deciding its first state: Awaiting (its parent has not finished, or its concurrency key is full and its
/// type waits), Scheduled (a future run time) or Enqueued.
/// </summary>
internal static class JobCreation
{
    public static string ScheduledReason(NewJob job) => $"Scheduled to run at {job.RunAt:O}";

    public static CreatedJob Insert(MySqlConnection connection, MySqlTransaction transaction, NewJob job, DateTime now)
    {
        var lease = job.Concurrency is { } request ? ConcurrencyLeases.Decide(connection, transaction, request) : ConcurrencyLeases.Outcome.Acquired;
        if (lease == ConcurrencyLeases.Outcome.MustWait && job.After is not null)
        {
            // A job cannot stand in two lines at once; a continuation of a waiting type is refused like a rejecting one.
            throw new ConcurrencyLimitReachedException(job.Concurrency!.Key, ConcurrencyLeases.Holders(connection, transaction, job.Concurrency.Key));
        }

        if (job.After is { } after && Continuations.MustWait(connection, transaction, after))
        {
            var child = Insert(JobWriterSql.CreateAwaiting, $"Waiting for job {after.ParentId} to {(after.OnAnyFinalState ? "finish" : "succeed")}");
            Continuations.Wait(connection, transaction, after, child, job.Queue);
            TakeLease(child);
            return new CreatedJob(child, JobState.Awaiting);
        }

        if (lease == ConcurrencyLeases.Outcome.MustWait)
        {
            var waiting = Insert(JobWriterSql.CreateAwaiting, $"Waiting for concurrency key '{job.Concurrency!.Key}'");
            ConcurrencyLeases.Wait(connection, transaction, job.Concurrency, waiting, job.Queue, job.RunAt);
            return new CreatedJob(waiting, JobState.Awaiting);
        }

        var scheduled = job.RunAt is { } runAt && runAt > now;
        var id = scheduled
            ? Insert(JobWriterSql.CreateScheduled, ScheduledReason(job))
            : Insert(JobWriterSql.CreateEnqueued, job.After is { } done ? $"Parent job {done.ParentId} already finished" : null);
        TakeLease(id);
        return new CreatedJob(id, scheduled ? JobState.Scheduled : JobState.Enqueued);

        long Insert(string sql, string? reason) => connection.ExecuteScalar<long>(
            sql,
            new { type = job.Type, queue = job.Queue, args = job.ArgsJson, now, runAt = job.RunAt, reason, parentId = job.After?.ParentId },
            transaction);

        void TakeLease(long jobId)
        {
            if (job.Concurrency is not null)
            {
                ConcurrencyLeases.Take(connection, transaction, job.Concurrency, jobId);
            }
        }
    }
}
