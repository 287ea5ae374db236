using Dapper;
using Hangfire.States;
using Hangfire.Storage.Monitoring;
using MySqlConnector;

namespace JobServer.Storage.MySql.Monitoring;

/// <summary>
/// The figures the dashboard polls every two seconds per open tab, in one round trip. Nothing here grows with the
/// history: state counts are ranges of ix_hf_job_state for the live states, the Failed count — failed jobs stay until
/// someone acts on them, so they pile up — stops at <see cref="MySqlStorageOptions.DashboardJobListLimit"/> (counting
/// 100,000 index entries took 45 ms of every poll), succeeded and deleted totals are counters, and the rest reads
/// small tables (servers, two keys of hf_set, the queue table).
/// </summary>
internal static class StatisticsQuery
{
    internal const string Sql = """
        SELECT COUNT(*)
        FROM hf_job
        WHERE state_name = @enqueued;
        SELECT COUNT(*)
        FROM (SELECT 1 FROM hf_job WHERE state_name = @failed LIMIT @failedLimit) f;
        SELECT COUNT(*)
        FROM hf_job
        WHERE state_name = @processing;
        SELECT COUNT(*)
        FROM hf_job
        WHERE state_name = @scheduled;
        SELECT COUNT(*)
        FROM hf_job
        WHERE state_name = @awaiting;
        SELECT COUNT(*)
        FROM hf_server;
        SELECT COALESCE((SELECT SUM(value) FROM hf_counter WHERE `key` = @succeededKey), 0)
             + COALESCE((SELECT value FROM hf_aggregated_counter WHERE `key` = @succeededKey), 0);
        SELECT COALESCE((SELECT SUM(value) FROM hf_counter WHERE `key` = @deletedKey), 0)
             + COALESCE((SELECT value FROM hf_aggregated_counter WHERE `key` = @deletedKey), 0);
        SELECT COUNT(*)
        FROM hf_set
        WHERE `key` = @recurringKey;
        SELECT COUNT(*)
        FROM hf_set
        WHERE `key` = @retriesKey;
        SELECT COUNT(DISTINCT queue)
        FROM hf_job_queue
        """;

    private static object Parameters(int? failedLimit) => new
    {
        failedLimit = failedLimit ?? long.MaxValue,
        enqueued = EnqueuedState.StateName,
        failed = FailedState.StateName,
        processing = ProcessingState.StateName,
        scheduled = ScheduledState.StateName,
        awaiting = AwaitingState.StateName,
        succeededKey = "stats:succeeded",
        deletedKey = "stats:deleted",
        recurringKey = "recurring-jobs",
        retriesKey = "retries",
    };

    public static StatisticsDto Get(MySqlConnection connection, int? failedLimit, int timeoutSeconds)
    {
        using var results = connection.QueryMultiple(Sql, Parameters(failedLimit), commandTimeout: timeoutSeconds);
        return new StatisticsDto
        {
            Enqueued = results.ReadSingle<long>(),
            Failed = results.ReadSingle<long>(),
            Processing = results.ReadSingle<long>(),
            Scheduled = results.ReadSingle<long>(),
            Awaiting = results.ReadSingle<long>(),
            Servers = results.ReadSingle<long>(),
            Succeeded = results.ReadSingle<long>(),
            Deleted = results.ReadSingle<long>(),
            Recurring = results.ReadSingle<long>(),
            Retries = results.ReadSingle<long>(),
            Queues = results.ReadSingle<long>(),
        };
    }
}
