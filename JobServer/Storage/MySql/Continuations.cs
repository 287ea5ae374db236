using Dapper;
using JobServer.Engine.States;
using MySql.Data.MySqlClient;

namespace JobServer.Storage.MySql;

/// <summary>
/// Moves a parent's Awaiting children on, inside the transaction that gives the parent its final state. When the
/// parent succeeds, every child is enqueued; when it fails for good, only children that run on any final state are
/// (the others keep waiting: an operator may still requeue the parent); when it is deleted, children that needed a
/// success are deleted too, and their own children after them.
/// </summary>
internal static class Continuations
{
    public static void OnParentFinished(MySqlConnection connection, MySqlTransaction transaction, long parentId, JobState parentState, DateTime now, string? serverId, DateTime? deletedExpireAt = null)
    {
        var children = connection.Query<Child>(ContinuationSql.SelectChildren, new { parentId }, transaction).AsList();
        foreach (var child in children)
        {
            if (parentState == JobState.Succeeded || child.OnAnyFinalState)
            {
                connection.Execute(ContinuationSql.Delete, new { id = child.JobId }, transaction);
                connection.Execute(JobWriterSql.EnqueueAwaiting, new { id = child.JobId, queue = child.Queue }, transaction);
                JobHistory.Append(connection, transaction, child.JobId, JobState.Enqueued, now, serverId, $"Parent job {parentId} ended {parentState}");
            }
            else if (parentState == JobState.Deleted)
            {
                connection.Execute(ContinuationSql.Delete, new { id = child.JobId }, transaction);
                connection.Execute(ContinuationSql.SetDeleted, new { id = child.JobId, now, expireAt = deletedExpireAt ?? now }, transaction);
                JobHistory.Append(connection, transaction, child.JobId, JobState.Deleted, now, serverId, $"Parent job {parentId} was deleted");
                Counters.RecordTransition(connection, transaction, JobState.Awaiting, JobState.Deleted);
                ConcurrencyLeases.Release(connection, transaction, child.JobId, now, serverId);
                OnParentFinished(connection, transaction, child.JobId, JobState.Deleted, now, serverId, deletedExpireAt);
            }
        }
    }

    /// <summary>Takes an Awaiting child out of its parent's list (it was deleted).</summary>
    public static void Forget(MySqlConnection connection, MySqlTransaction transaction, long id) =>
        connection.Execute(ContinuationSql.Delete, new { id }, transaction);

    /// <summary>Whether a new child of <paramref name="request"/>'s parent must wait; throws when it can never run.</summary>
    public static bool MustWait(MySqlConnection connection, MySqlTransaction transaction, ContinuationRequest request)
    {
        var state = connection.QuerySingleOrDefault<string>(ContinuationSql.LockParent, new { parentId = request.ParentId }, transaction);
        if (state is null)
        {
            throw new ContinuationParentException(request.ParentId, null);
        }

        return Enum.Parse<JobState>(state) switch
        {
            JobState.Succeeded => false,
            JobState.Failed or JobState.Deleted when request.OnAnyFinalState => false,
            JobState.Deleted => throw new ContinuationParentException(request.ParentId, JobState.Deleted),
            _ => true,
        };
    }

    public static void Wait(MySqlConnection connection, MySqlTransaction transaction, ContinuationRequest request, long id, string queue) =>
        connection.Execute(ContinuationSql.Insert, new { id, parentId = request.ParentId, queue, onAny = request.OnAnyFinalState }, transaction);

    private sealed class Child
    {
        public long JobId { get; init; }

        public string Queue { get; init; } = "";

        public bool OnAnyFinalState { get; init; }
    }
}
