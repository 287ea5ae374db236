using System.Text.Json;
using Dapper;

namespace JobServer.Storage.MySql;

internal sealed class MySqlServerStore(MySqlDb db) : IServerStore
{
    public void Announce(ServerInfo server) =>
        db.Run(connection => connection.Execute(ServerSql.Upsert, new
        {
            id = server.Id,
            queues = JsonSerializer.Serialize(server.Queues),
            workers = server.Workers,
            busy = server.Busy,
            startedAt = server.StartedAt,
            heartbeatAt = server.HeartbeatAt,
        }));

    public bool Heartbeat(string serverId, int busy, DateTime now) =>
        db.Run(connection => connection.Execute(ServerSql.Heartbeat, new { serverId, busy, now })) == 1;

    public void Remove(string serverId) =>
        db.Run(connection => connection.Execute(ServerSql.Delete, new { serverId }));

    public RecoveryResult RecoverDead(DateTime cutoff, DateTime now, string recoveringServerId)
    {
        return db.InTransaction((connection, transaction) =>
        {
            var expired = connection.Query<string>(ServerSql.SelectExpiredForRecovery, new { cutoff, recoveringServerId }, transaction).AsList();
            var orphaned = connection.Query<string>(ServerSql.SelectOrphanedClaimOwners, new { cutoff }, transaction);
            var owners = expired.Concat(orphaned).Distinct().ToList();
            if (owners.Count == 0)
            {
                return RecoveryResult.None;
            }

            var ids = connection.Query<long>(ServerSql.LockClaimsOf, new { owners }, transaction).AsList();
            if (ids.Count > 0)
            {
                connection.Execute(ServerSql.InsertRecoveryHistory, new { ids, now, serverId = recoveringServerId }, transaction);
                connection.Execute(ServerSql.Requeue, new { ids }, transaction);
            }

            if (expired.Count > 0)
            {
                connection.Execute(ServerSql.DeleteMany, new { ids = expired }, transaction);
            }

            return new RecoveryResult(owners, ids.Count);
        });
    }
}
