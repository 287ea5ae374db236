using Dapper;
using Hangfire.Server;
using JobServer.Storage.MySql.Queue;

namespace JobServer.Storage.MySql.Maintenance;

/// <summary>
/// Gives back fetched jobs whose owner stopped refreshing them for <see cref="MySqlStorageOptions.InvisibilityTimeout"/>
/// — a process that died without Hangfire noticing, or a fetch whose reply was lost. A process that was itself cut off
/// from the database within the last timeout does nothing: its peers' keep-alives may have failed for the same
/// reason, and their jobs may still be running.
/// </summary>
internal sealed class AbandonedJobRecovery(MySqlStorage storage) : IBackgroundProcess
{
    public void Execute(BackgroundProcessContext context)
    {
        try
        {
            RunOnce();
        }
        catch (Exception ex) when (!context.IsStopping)
        {
            storage.Log(ex, "Recovery of abandoned jobs failed; retrying at the next interval.");
        }
        context.Wait(storage.Options.KeepAliveInterval);
    }

    /// <summary>One pass; returns the number of jobs put back on their queues.</summary>
    public int RunOnce()
    {
        var timeout = storage.Options.InvisibilityTimeout;
        if (storage.Database.ReachableFor < timeout) return 0;
        var staleSeconds = timeout.TotalSeconds;
        var (queues, requeued) = storage.Database.Use(connection =>
        {
            var names = connection.Query<string>(QueueSql.SelectQueuesOfAbandoned, new { staleSeconds }).ToList();
            return names.Count == 0 ? (names, 0) : (names, connection.Execute(QueueSql.RequeueAbandoned, new { staleSeconds }));
        });
        foreach (var queue in queues) storage.Fetchers.NotifyEnqueued(queue);
        return requeued;
    }

    public override string ToString() => "MySQL abandoned-job recovery";
}
