using System.Text;
using Dapper;
using JobServer.Engine.States;
using MySql.Data.MySqlClient;

namespace JobServer.Storage.MySql;

/// <summary>
/// Records a batch of successes in the caller's transaction. Per batch, not per job: one lock of the claims, one of
/// the jobs, one delete, one update, one history insert, one counter insert, and one look each for leases and
/// children to hand on. Each job is still guarded by its own claim (queue row names this server) and its own lease.
/// </summary>
internal static class SuccessBatch
{
    public static IReadOnlyList<bool> Apply(MySqlConnection connection, MySqlTransaction transaction, IReadOnlyList<SucceededJob> jobs, string serverId, DateTime now, DateTime expireAt)
    {
        var ids = jobs.Select(j => j.Job.Id).ToList();
        var ours = connection.Query<long>(JobQueueSql.LockOwnClaims, new { ids, serverId }, transaction).ToHashSet();
        var leases = ours.Count == 0
            ? []
            : connection.Query<(long Id, long Lease)>(JobQueueSql.LockProcessingJobs, new { ids = ours }, transaction).ToDictionary(r => r.Id, r => r.Lease);
        var recorded = jobs.Where(j => leases.TryGetValue(j.Job.Id, out var lease) && lease == j.Job.Lease).ToList();
        if (recorded.Count == 0)
        {
            return jobs.Select(_ => false).ToList();
        }

        var recordedIds = recorded.Select(j => j.Job.Id).ToList();
        connection.Execute(JobQueueSql.DeleteClaims, new { ids = recordedIds }, transaction);
        UpdateJobs(connection, transaction, recorded, now, expireAt);
        connection.Execute(JobQueueSql.InsertHistoryForJobs, new { ids = recordedIds, state = nameof(JobState.Succeeded), now, serverId }, transaction);
        Counters.RecordTransition(connection, transaction, JobState.Processing, JobState.Succeeded, recorded.Count, now);

        foreach (var holder in connection.Query<long>(JobQueueSql.SelectLeaseHolders, new { ids = recordedIds }, transaction).AsList())
        {
            ConcurrencyLeases.Release(connection, transaction, holder, now, serverId);
        }

        foreach (var parent in connection.Query<long>(JobQueueSql.SelectParents, new { ids = recordedIds }, transaction).AsList())
        {
            Continuations.OnParentFinished(connection, transaction, parent, JobState.Succeeded, now, serverId);
        }

        var done = recordedIds.ToHashSet();
        return jobs.Select(j => done.Contains(j.Job.Id)).ToList();
    }

    /// <summary>One UPDATE for the batch; each job's own result goes through a CASE on its id, all values parameters.</summary>
    private static void UpdateJobs(MySqlConnection connection, MySqlTransaction transaction, IReadOnlyList<SucceededJob> jobs, DateTime now, DateTime expireAt)
    {
        var parameters = new DynamicParameters(new { now, expireAt, ids = jobs.Select(j => j.Job.Id).ToList() });
        var results = new StringBuilder("CASE id");
        for (var i = 0; i < jobs.Count; i++)
        {
            results.Append(" WHEN @i").Append(i).Append(" THEN @r").Append(i);
            parameters.Add("i" + i, jobs[i].Job.Id);
            parameters.Add("r" + i, jobs[i].ResultJson);
        }

        results.Append(" END");
        connection.Execute(JobQueueSql.SetSucceededManyPrefix + results + JobQueueSql.SetSucceededManySuffix, parameters, transaction);
    }
}
