using Dapper;
using JobServer.Storage.MySql.Queue;

namespace JobServer.Storage.MySql.Maintenance;

/// <summary>
/// Gives back fetched jobs whose owner stopped refreshing them for <see cref="MySqlStorageOptions.InvisibilityTimeout"/>
/// — a process that died without Hangfire noticing, or a fetch whose reply was lost. A process that was itself cut off
/// from the database within the last timeout does nothing: its peers' keep-alives may have failed for the same
/// reason, and their jobs may still be running.
/// </summary>
internal sealed class AbandonedJobRecovery(MySqlStorage storage) : StorageProcess(storage)
{
    protected override TimeSpan Interval => Storage.Options.KeepAliveInterval;

    /// <summary>One pass; returns the number of jobs put back on their queues.</summary>
    public override int RunOnce()
    {
        var timeout = Storage.Options.InvisibilityTimeout;
        if (Storage.Database.ReachableFor < timeout) return 0;
        var staleSeconds = timeout.TotalSeconds;
        var (queues, requeued) = Storage.Database.Use(connection =>
        {
            var names = connection.Query<string>(QueueSql.SelectQueuesOfAbandoned, new { staleSeconds }).ToList();
            return names.Count == 0 ? (names, 0) : (names, connection.Execute(QueueSql.RequeueAbandoned, new { staleSeconds }));
        });
        foreach (var queue in queues) Storage.Fetchers.NotifyEnqueued(queue);
        return requeued;
    }

    public override string ToString() => "MySQL abandoned-job recovery";
}
