namespace JobServer.Storage.MySql;

internal static class ServerSql
{
    public const string Upsert = """
        INSERT INTO js_server (id, queues, workers, busy, started_at, heartbeat_at)
        VALUES (@id, @queues, @workers, @busy, @startedAt, @heartbeatAt)
        ON DUPLICATE KEY UPDATE queues = @queues, workers = @workers, busy = @busy, heartbeat_at = @heartbeatAt
        """;

    public const string Heartbeat = """
        UPDATE js_server
        SET heartbeat_at = @now, busy = @busy
        WHERE id = @serverId
        """;

    public const string Delete = """
        DELETE FROM js_server
        WHERE id = @serverId
        """;

    public const string SelectAll = """
        SELECT id AS Id, queues AS Queues, workers AS Workers, busy AS Busy, started_at AS StartedAt, heartbeat_at AS HeartbeatAt
        FROM js_server
        ORDER BY id
        """;

    public const string SelectExpiredForRecovery = """
        SELECT id
        FROM js_server
        WHERE heartbeat_at < @cutoff
          AND id <> @recoveringServerId
        FOR UPDATE SKIP LOCKED
        """;

    // Claims by a server that has no row at all (removed without releasing them) are as lost as a dead server's.
    public const string SelectOrphanedClaimOwners = """
        SELECT DISTINCT q.claimed_by
        FROM js_queue q
        LEFT JOIN js_server s ON s.id = q.claimed_by
        WHERE q.claimed_by IS NOT NULL
          AND q.claimed_at < @cutoff
          AND s.id IS NULL
        """;

    public const string LockClaimsOf = """
        SELECT job_id
        FROM js_queue
        WHERE claimed_by IN @owners
        FOR UPDATE
        """;

    // Runs before the claims are cleared, so each history row names the server that stopped.
    public const string InsertRecoveryHistory = """
        INSERT INTO js_job_history (job_id, state, at, server_id, reason)
        SELECT job_id, 'Enqueued', @now, @serverId, CONCAT('Requeued: server ', claimed_by, ' stopped heartbeating')
        FROM js_queue
        WHERE job_id IN @ids
        """;

    public const string Requeue = """
        UPDATE js_queue
        SET claimed_by = NULL, claimed_at = NULL
        WHERE job_id IN @ids;
        UPDATE js_job
        SET state = 'Enqueued', server_id = NULL
        WHERE id IN @ids;
        """;

    public const string DeleteMany = """
        DELETE FROM js_server
        WHERE id IN @ids
        """;
}
