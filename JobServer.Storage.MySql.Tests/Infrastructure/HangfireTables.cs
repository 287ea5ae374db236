using Dapper;
using Hangfire;
using Hangfire.Storage;

namespace JobServer.Storage.MySql.Tests.Infrastructure;

/// <summary>What an end-to-end test reads back about its jobs: current state, history, queue rows.</summary>
internal sealed class HangfireTables(MySqlTestDatabase db, JobStorage storage)
{
    public string? State(string jobId)
    {
        using var connection = storage.GetConnection();
        return connection.GetJobData(jobId)?.State;
    }

    public StateData? StateData(string jobId)
    {
        using var connection = storage.GetConnection();
        return connection.GetStateData(jobId);
    }

    /// <summary>The job's states, oldest first.</summary>
    public IReadOnlyList<string> History(string jobId) => Query<string>(
        "SELECT name FROM hf_state WHERE job_id = @id ORDER BY id", new { id = long.Parse(jobId) });

    public IReadOnlyList<(string Name, string? Reason)> HistoryWithReasons(string jobId) => Query<(string, string?)>(
        "SELECT name, reason FROM hf_state WHERE job_id = @id ORDER BY id", new { id = long.Parse(jobId) });

    /// <summary>The job's queue rows: (fetched_at is null) per row.</summary>
    public IReadOnlyList<bool> QueueRowsUnfetched(string jobId) => Query<bool>(
        "SELECT fetched_at IS NULL FROM hf_job_queue WHERE job_id = @id", new { id = long.Parse(jobId) });

    public int CountInState(string state) => Query<int>(
        "SELECT COUNT(*) FROM hf_job WHERE state_name = @state", new { state }).Single();

    public long Counter(string key)
    {
        using var connection = (JobStorageConnection)storage.GetConnection();
        return connection.GetCounter(key);
    }

    public bool SetContains(string key, string value)
    {
        using var connection = (JobStorageConnection)storage.GetConnection();
        return connection.GetSetContains(key, value);
    }

    public IReadOnlyList<T> Query<T>(string sql, object? parameters = null)
    {
        using var connection = db.Open();
        return connection.Query<T>(sql, parameters).ToList();
    }
}
