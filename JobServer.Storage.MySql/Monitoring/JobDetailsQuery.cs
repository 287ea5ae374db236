using Dapper;
using Hangfire.Storage.Monitoring;
using MySqlConnector;

namespace JobServer.Storage.MySql.Monitoring;

/// <summary>A job's page: the job, its parameters and its whole state history (newest first) in one round trip.</summary>
internal static class JobDetailsQuery
{
    private const string Sql = """
        SELECT invocation_data AS InvocationData, arguments AS Arguments, created_at AS CreatedAt, expire_at AS ExpireAt
        FROM hf_job
        WHERE id = @id;
        SELECT name AS Name, value AS Value
        FROM hf_job_parameter
        WHERE job_id = @id;
        SELECT name AS StateName, reason AS Reason, created_at AS CreatedAt, data AS Data
        FROM hf_state
        WHERE job_id = @id
        ORDER BY id DESC
        """;

    public static JobDetailsDto? Get(MySqlConnection connection, long id, int timeoutSeconds)
    {
        using var results = connection.QueryMultiple(Sql, new { id }, commandTimeout: timeoutSeconds);
        var job = results.ReadSingleOrDefault<JobRow>();
        if (job is null) return null;
        var parameters = results.Read<(string Name, string? Value)>()
            .ToDictionary(p => p.Name, p => p.Value, StringComparer.OrdinalIgnoreCase);
        var history = results.Read<StateRow>()
            .Select(state => new StateHistoryDto
            {
                StateName = state.StateName,
                Reason = state.Reason,
                CreatedAt = state.CreatedAt,
                Data = JobPayload.StateData(state.Data),
            })
            .ToList();
        var loaded = JobPayload.Load(job.InvocationData, job.Arguments);
        return new JobDetailsDto
        {
            Job = loaded.Job,
            InvocationData = loaded.InvocationData,
            LoadException = loaded.LoadException,
            CreatedAt = job.CreatedAt,
            ExpireAt = job.ExpireAt,
            Properties = parameters!,
            History = history,
        };
    }

    private sealed class JobRow
    {
        public string InvocationData { get; set; } = "";
        public string? Arguments { get; set; }
        public DateTime CreatedAt { get; set; }
        public DateTime? ExpireAt { get; set; }
    }

    private sealed class StateRow
    {
        public string StateName { get; set; } = "";
        public string? Reason { get; set; }
        public DateTime CreatedAt { get; set; }
        public string? Data { get; set; }
    }
}
