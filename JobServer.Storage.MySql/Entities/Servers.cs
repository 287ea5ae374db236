using Dapper;
using Hangfire.Common;
using Hangfire.Server;
using JobServer.Storage.MySql.Queue;
using MySqlConnector;

namespace JobServer.Storage.MySql.Entities;

/// <summary>hf_server: Hangfire servers, their heartbeats, and the process (owner) whose fetched jobs each covers.</summary>
internal static class Servers
{
    private const string UpsertSql = """
        INSERT INTO hf_server (id, owner, data, last_heartbeat)
        VALUES (@id, @owner, @data, UTC_TIMESTAMP(6))
        ON DUPLICATE KEY UPDATE owner = @owner, data = @data, last_heartbeat = UTC_TIMESTAMP(6)
        """;

    private const string HeartbeatSql = "UPDATE hf_server SET last_heartbeat = UTC_TIMESTAMP(6) WHERE id = @id";
    private const string DeleteSql = "DELETE FROM hf_server WHERE id = @id";

    private const string SelectTimedOutSql = """
        SET TRANSACTION ISOLATION LEVEL READ COMMITTED;
        START TRANSACTION;
        SELECT id AS Id, owner AS Owner
        FROM hf_server
        WHERE last_heartbeat < UTC_TIMESTAMP(6) - INTERVAL @timeoutSeconds SECOND
        FOR UPDATE
        """;

    // The dead servers' jobs go back in the same transaction that removes the servers, unless their process still
    // runs another live server, or still refreshes them (a server whose heartbeat stalled in a living process).
    private const string RemoveAndRequeueSql = """
        DELETE FROM hf_server WHERE id IN @ids;
        UPDATE hf_job_queue
        SET fetched_at = NULL, fetched_by = NULL, fetch_token = NULL
        WHERE fetched_by IN @owners
          AND fetched_by NOT IN (SELECT owner FROM hf_server WHERE owner IS NOT NULL)
          AND fetched_at < UTC_TIMESTAMP(6) - INTERVAL @staleSeconds SECOND;
        COMMIT
        """;

    public static void Announce(MySqlConnection c, string owner, string id, ServerContext context)
    {
        var data = SerializationHelper.Serialize(new ServerData
        {
            WorkerCount = context.WorkerCount,
            Queues = context.Queues,
            StartedAt = DateTime.UtcNow,
        });
        c.Execute(UpsertSql, new { id, owner, data });
    }

    /// <summary>False when the server row is gone (the watchdog removed it): Hangfire then restarts the server.</summary>
    public static bool Heartbeat(MySqlConnection c, string id) => c.Execute(HeartbeatSql, new { id }) > 0;

    public static void Remove(MySqlConnection c, string id) => c.Execute(DeleteSql, new { id });

    /// <summary>Removes servers silent for <paramref name="timeout"/> and gives back the jobs their processes held.</summary>
    public static (int Servers, int Jobs) RemoveTimedOut(MySqlConnection c, TimeSpan timeout, TimeSpan staleAfter)
    {
        var committed = false;
        try
        {
            var dead = c.Query<(string Id, string? Owner)>(SelectTimedOutSql, new { timeoutSeconds = timeout.TotalSeconds }).ToList();
            if (dead.Count == 0)
            {
                c.Execute("COMMIT");
                committed = true;
                return (0, 0);
            }
            var ids = dead.Select(d => d.Id).ToArray();
            var owners = dead.Where(d => d.Owner != null).Select(d => d.Owner!).Distinct().DefaultIfEmpty("").ToArray();
            // Affected rows add up over the statements: the servers deleted (locked above, so all of them) and the jobs.
            var affected = c.Execute(RemoveAndRequeueSql, new { ids, owners, staleSeconds = staleAfter.TotalSeconds });
            committed = true;
            return (dead.Count, affected - dead.Count);
        }
        finally
        {
            if (!committed) TryRollback(c);
        }
    }

    private static void TryRollback(MySqlConnection c) => MySqlDatabase.RollbackOrDiscard(c);
}

/// <summary>What a server row's data holds; the monitoring API reads it back.</summary>
internal sealed class ServerData
{
    public int WorkerCount { get; set; }
    public string[] Queues { get; set; } = [];
    public DateTime? StartedAt { get; set; }
}
