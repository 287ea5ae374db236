using Dapper;
using Hangfire.Common;
using Hangfire.Storage.Monitoring;
using JobServer.Storage.MySql.Entities;
using MySqlConnector;

namespace JobServer.Storage.MySql.Monitoring;

/// <summary>The servers page: every hf_server row with the data its server announced (see <see cref="Servers"/>).</summary>
internal static class ServersQuery
{
    private const string Sql = """
        SELECT id AS Id, data AS Data, last_heartbeat AS LastHeartbeat
        FROM hf_server
        ORDER BY id
        """;

    public static List<ServerDto> GetAll(MySqlConnection connection, int timeoutSeconds) =>
        connection.Query<(string Id, string? Data, DateTime LastHeartbeat)>(Sql, commandTimeout: timeoutSeconds)
            .Select(row =>
            {
                var data = row.Data is null ? null : SerializationHelper.Deserialize<ServerData>(row.Data);
                return new ServerDto
                {
                    Name = row.Id,
                    WorkersCount = data?.WorkerCount ?? 0,
                    Queues = data?.Queues ?? [],
                    StartedAt = data?.StartedAt ?? DateTime.MinValue,
                    Heartbeat = row.LastHeartbeat,
                };
            })
            .ToList();
}
