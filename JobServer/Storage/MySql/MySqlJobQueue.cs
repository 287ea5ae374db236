using Dapper;
using JobServer.Engine.States;
using MySql.Data.MySqlClient;

namespace JobServer.Storage.MySql;

internal sealed class MySqlJobQueue(MySqlDb db) : IJobQueue, IDisposable
{
    // Claims come from the dispatcher's loop and success batches from the success writer's: one held connection
    // each, so neither pays a pool checkout (and its ping) per round.
    private readonly HeldConnection _claims = new(db);
    private readonly HeldConnection _successes = new(db);

    public void Dispose()
    {
        _claims.Dispose();
        _successes.Dispose();
    }

    public IReadOnlyList<ClaimedJob> Claim(string queue, string serverId, int max, DateTime now)
    {
        if (max <= 0)
        {
            return [];
        }

        // Two round trips: BEGIN rides with the SELECT, COMMIT with the claim (an empty poll commits alone).
        return db.InStatementTransaction(_claims, connection =>
        {
            var ids = connection.Query<long>(MySqlDb.Begin + JobQueueSql.SelectReadyForClaim, new { queue, max }).AsList();
            if (ids.Count == 0)
            {
                connection.Execute(MySqlDb.Commit);
                return (IReadOnlyList<ClaimedJob>)[];
            }

            return connection.Query<ClaimedJob>(JobQueueSql.MarkClaimed + MySqlDb.Commit, new { ids, serverId, now }).AsList();
        });
    }

    public IReadOnlyList<bool> SetSucceededIfClaimed(IReadOnlyList<SucceededJob> jobs, string serverId, DateTime now, DateTime expireAt) =>
        jobs.Count == 0
            ? []
            : db.InStatementTransaction(_successes, connection => SuccessBatch.TryApplyWithoutFollowers(connection, jobs, serverId, now, expireAt))
              ?? db.InTransaction((connection, transaction) => SuccessBatch.Apply(connection, transaction, jobs, serverId, now, expireAt));

    public bool SetSucceededIfClaimed(ClaimedJob job, string serverId, string? resultJson, DateTime now, DateTime expireAt) =>
        SetSucceededIfClaimed([new SucceededJob(job, resultJson)], serverId, now, expireAt)[0];

    public bool SetFailedIfClaimed(ClaimedJob job, string serverId, JobFailure failure, string reason, DateTime now) =>
        ChangeIfClaimed(job.Id, serverId, JobQueueSql.DeleteClaim, (connection, transaction) =>
        {
            if (connection.Execute(JobQueueSql.SetFailed, new { id = job.Id, lease = job.Lease, now }, transaction) != 1)
            {
                return false;
            }

            JobHistory.Append(connection, transaction, job.Id, JobState.Failed, now, serverId, reason, failure);
            Counters.RecordTransition(connection, transaction, JobState.Processing, JobState.Failed, at: now);
            ConcurrencyLeases.Release(connection, transaction, job.Id, now, serverId);
            Continuations.OnParentFinished(connection, transaction, job.Id, JobState.Failed, now, serverId);
            return true;
        });

    public bool ScheduleRetryIfClaimed(ClaimedJob job, string serverId, JobFailure failure, string reason, DateTime runAt, DateTime now) =>
        ChangeIfClaimed(job.Id, serverId, JobQueueSql.DeleteClaim, (connection, transaction) =>
        {
            if (connection.Execute(JobQueueSql.SetScheduledForRetry, new { id = job.Id, lease = job.Lease }, transaction) != 1)
            {
                return false;
            }

            connection.Execute(JobQueueSql.InsertSchedule, new { id = job.Id, queue = job.Queue, runAt }, transaction);
            // As in Hangfire: the failed attempt and the retry it leads to are two steps of the history.
            JobHistory.Append(connection, transaction, job.Id, JobState.Failed, now, serverId, $"Attempt {job.Attempt} failed", failure);
            JobHistory.Append(connection, transaction, job.Id, JobState.Scheduled, now, serverId, reason);
            return true;
        });

    public bool ReleaseIfClaimed(ClaimedJob job, string serverId, string reason, DateTime now) =>
        ChangeIfClaimed(job.Id, serverId, JobQueueSql.ReleaseClaim, (connection, transaction) =>
        {
            if (connection.Execute(JobQueueSql.SetReleased, new { id = job.Id, lease = job.Lease }, transaction) != 1)
            {
                return false;
            }

            JobHistory.Append(connection, transaction, job.Id, JobState.Enqueued, now, serverId, reason);
            return true;
        });

    public IReadOnlyList<long> FindLostClaims(string serverId, IReadOnlyCollection<long> ids)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        var stillClaimed = db.Run(connection => connection.Query<long>(JobQueueSql.SelectStillClaimed, new { ids, serverId }).ToHashSet());
        return ids.Where(id => !stillClaimed.Contains(id)).ToList();
    }

    public IReadOnlyList<long> ReleaseUnknownClaims(string serverId, IReadOnlyCollection<long> executing, string reason, DateTime now)
    {
        var known = executing.ToHashSet();
        var unknown = db.Run(connection => connection.Query<long>(JobQueueSql.SelectOwnClaims, new { serverId }))
            .Where(id => !known.Contains(id))
            .ToList();
        if (unknown.Count == 0)
        {
            return [];
        }

        return db.InTransaction((connection, transaction) =>
        {
            var ids = connection.Query<long>(JobQueueSql.LockOwnClaims, new { ids = unknown, serverId }, transaction).AsList();
            if (ids.Count > 0)
            {
                connection.Execute(HistorySql.InsertForJobs, new { ids, state = nameof(JobState.Enqueued), now, serverId, reason }, transaction);
                connection.Execute(JobQueueSql.ReleaseUnknownClaims, new { ids }, transaction);
            }

            return (IReadOnlyList<long>)ids;
        });
    }

    public void SetProgress(long id, long done, long total) =>
        db.Run(connection => connection.Execute(JobQueueSql.SetProgress, new { id, done, total }));

    /// <summary>
    /// Applies a worker's outcome only while this server still holds the claim: first the queue row (claim guard),
    /// then the job row (lease guard), in the lock order every writer uses. Rolls back if either guard fails.
    /// </summary>
    private bool ChangeIfClaimed(long id, string serverId, string claimSql, Func<MySqlConnection, MySqlTransaction, bool> change)
    {
        try
        {
            return db.InTransaction((connection, transaction) =>
            {
                if (connection.Execute(claimSql, new { id, serverId }, transaction) != 1 || !change(connection, transaction))
                {
                    throw new ClaimLostException();
                }

                return true;
            });
        }
        catch (ClaimLostException)
        {
            return false;
        }
    }

    private sealed class ClaimLostException : Exception;
}
