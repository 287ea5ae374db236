using Dapper;

namespace JobServer.Storage.MySql.Maintenance;

/// <summary>
/// Deletes what expired, a small batch per statement so that no delete holds many locks or blocks the hot path for
/// long: jobs (with their states, parameters and any stray queue row), then sets, hashes, lists and counters.
/// </summary>
internal sealed class ExpirationManager(MySqlStorage storage) : StorageProcess(storage)
{
    private const string SelectExpiredJobsSql = """
        SELECT id FROM hf_job
        WHERE expire_at < @now
        ORDER BY expire_at
        LIMIT @batch
        """;

    private const string DeleteJobsSql = """
        DELETE FROM hf_state WHERE job_id IN @ids;
        DELETE FROM hf_job_parameter WHERE job_id IN @ids;
        DELETE FROM hf_job_queue WHERE job_id IN @ids;
        DELETE FROM hf_job WHERE id IN @ids AND expire_at < @now;
        """;

    private static readonly string[] ExpiringTables = ["hf_set", "hf_hash", "hf_list", "hf_aggregated_counter", "hf_counter"];

    protected override TimeSpan Interval => Storage.Options.JobExpirationCheckInterval;

    /// <summary>Deletes everything that expired before now; returns the number of rows deleted.</summary>
    public override int RunOnce()
    {
        var now = Storage.Time.GetUtcNow().UtcDateTime;
        var batch = Storage.Options.DeleteExpiredBatchSize;
        var deleted = 0;
        while (true)
        {
            var ids = Storage.Database.Use(c => c.Query<long>(SelectExpiredJobsSql, new { now, batch }).ToArray());
            if (ids.Length == 0) break;
            deleted += Storage.Database.Use(c => c.Execute(DeleteJobsSql, new { ids, now }));
            if (ids.Length < batch) break;
        }
        foreach (var table in ExpiringTables)
        {
            var sql = $"DELETE FROM {table} WHERE expire_at < @now LIMIT @batch";
            int count;
            do
            {
                count = Storage.Database.Use(c => c.Execute(sql, new { now, batch }));
                deleted += count;
            } while (count == batch);
        }
        return deleted;
    }

    public override string ToString() => "MySQL expiration manager";
}
