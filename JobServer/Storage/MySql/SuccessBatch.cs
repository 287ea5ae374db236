using System.Text;
using Dapper;
using JobServer.Engine.States;
using MySql.Data.MySqlClient;

namespace JobServer.Storage.MySql;

/// <summary>
/// Records a batch of successes. Per batch, not per job: one lock of the claims, one of the jobs, one delete, one
/// update, one history insert, one counter insert, and one look each for leases and children to hand on. Each job is
/// still guarded by its own claim (queue row names this server) and its own lease.
/// </summary>
internal static class SuccessBatch
{
    /// <summary>
    /// The common batch — no job in it holds a concurrency lease or has continuations — in two round trips of a
    /// statement transaction (see <see cref="MySqlDb.InStatementTransaction{T}"/>): lock and check, then write and
    /// commit. Returns null, having rolled back, when the batch has followers; the caller then uses <see cref="Apply"/>.
    /// </summary>
    public static IReadOnlyList<bool>? TryApplyWithoutFollowers(MySqlConnection connection, IReadOnlyList<SucceededJob> jobs, string serverId, DateTime now, DateTime expireAt)
    {
        Dictionary<long, long> leases;
        long followers;
        using (var results = connection.QueryMultiple(MySqlDb.Begin + JobQueueSql.LockSuccessBatch, new { ids = jobs.Select(j => j.Job.Id).ToList(), serverId }))
        {
            results.Read<long>();
            leases = results.Read<(long Id, long Lease)>().ToDictionary(r => r.Id, r => r.Lease);
            followers = results.ReadSingle<long>();
        }

        if (followers > 0)
        {
            connection.Execute(MySqlDb.Rollback);
            return null;
        }

        var recorded = StillClaimed(jobs, leases);
        var recordedIds = recorded.Select(j => j.Job.Id).ToList();
        if (recorded.Count == 0)
        {
            connection.Execute(MySqlDb.Commit);
            return jobs.Select(_ => false).ToList();
        }

        var parameters = new DynamicParameters(new { ids = recordedIds, state = nameof(JobState.Succeeded), now, expireAt, serverId });
        var statements = new StringBuilder()
            .Append(JobQueueSql.DeleteClaims).Append(";\n")
            .Append(SetSucceededStatement(parameters, recorded)).Append(";\n")
            .Append(JobQueueSql.InsertHistoryForJobs).Append(';');
        if (Counters.TransitionStatement(parameters, JobState.Processing, JobState.Succeeded, recorded.Count, now) is { } counters)
        {
            statements.Append('\n').Append(counters).Append(';');
        }

        statements.Append(MySqlDb.Commit);
        connection.Execute(statements.ToString(), parameters);
        return Outcomes(jobs, recordedIds);
    }

    public static IReadOnlyList<bool> Apply(MySqlConnection connection, MySqlTransaction transaction, IReadOnlyList<SucceededJob> jobs, string serverId, DateTime now, DateTime expireAt)
    {
        var ids = jobs.Select(j => j.Job.Id).ToList();
        var ours = connection.Query<long>(JobQueueSql.LockOwnClaims, new { ids, serverId }, transaction).ToHashSet();
        var leases = ours.Count == 0
            ? []
            : connection.Query<(long Id, long Lease)>(JobQueueSql.LockProcessingJobs, new { ids = ours }, transaction).ToDictionary(r => r.Id, r => r.Lease);
        var recorded = StillClaimed(jobs, leases);
        if (recorded.Count == 0)
        {
            return jobs.Select(_ => false).ToList();
        }

        var recordedIds = recorded.Select(j => j.Job.Id).ToList();
        connection.Execute(JobQueueSql.DeleteClaims, new { ids = recordedIds }, transaction);
        var parameters = new DynamicParameters(new { ids = recordedIds, now, expireAt });
        connection.Execute(SetSucceededStatement(parameters, recorded), parameters, transaction);
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

        return Outcomes(jobs, recordedIds);
    }

    /// <summary>The jobs whose claim is still ours and whose lease is still the one they ran under.</summary>
    private static List<SucceededJob> StillClaimed(IReadOnlyList<SucceededJob> jobs, Dictionary<long, long> leases) =>
        jobs.Where(j => leases.TryGetValue(j.Job.Id, out var lease) && lease == j.Job.Lease).ToList();

    private static List<bool> Outcomes(IReadOnlyList<SucceededJob> jobs, List<long> recordedIds)
    {
        var done = recordedIds.ToHashSet();
        return jobs.Select(j => done.Contains(j.Job.Id)).ToList();
    }

    /// <summary>One UPDATE for the batch (its ids in <c>@ids</c>); each job's own result goes through a CASE on its
    /// id, all values parameters added to <paramref name="parameters"/>.</summary>
    private static string SetSucceededStatement(DynamicParameters parameters, IReadOnlyList<SucceededJob> jobs)
    {
        var results = new StringBuilder("CASE id");
        for (var i = 0; i < jobs.Count; i++)
        {
            results.Append(" WHEN @i").Append(i).Append(" THEN @r").Append(i);
            parameters.Add("i" + i, jobs[i].Job.Id);
            parameters.Add("r" + i, jobs[i].ResultJson);
        }

        results.Append(" END");
        return JobQueueSql.SetSucceededManyPrefix + results + JobQueueSql.SetSucceededManySuffix;
    }
}
