using Dapper;
using Hangfire.Common;
using Hangfire.States;
using Hangfire.Storage;
using JobServer.Storage.MySql.Transactions;
using MySqlConnector;
using static JobServer.Storage.MySql.Transactions.WriteCommand;

namespace JobServer.Storage.MySql.Entities;

/// <summary>hf_job, its states and its parameters: reads, immediate writes, and the commands a transaction queues.</summary>
internal static class Jobs
{
    public const int ReasonLength = 100;

    private const string InsertJobSql = """
        INSERT INTO hf_job (invocation_data, arguments, created_at, expire_at)
        VALUES (@invocationData, @arguments, @createdAt, @expireAt)
        """;

    /// <summary>One statement, not one per table: a row per parameter (one with no parameter at all), each repeating
    /// the job's columns. A job has a handful of small parameters, so that repetition costs less than a second statement
    /// on the hottest read of all (twice per processed job).</summary>
    private const string SelectJobAndParametersSql = """
        SELECT j.invocation_data AS InvocationData, j.arguments AS Arguments, j.state_name AS StateName, j.created_at AS CreatedAt,
               p.name AS ParameterName, p.value AS ParameterValue
        FROM hf_job j
        LEFT JOIN hf_job_parameter p ON p.job_id = j.id
        WHERE j.id = @id
        """;

    private const string SelectStateSql = """
        SELECT s.name AS Name, s.reason AS Reason, s.data AS Data
        FROM hf_job j
        JOIN hf_state s ON s.id = j.state_id
        WHERE j.id = @id
        """;

    private const string SelectParameterSql = """
        SELECT value
        FROM hf_job_parameter
        WHERE job_id = @id AND name = @name
        """;

    private const string UpsertParameterSql = """
        INSERT INTO hf_job_parameter (job_id, name, value)
        VALUES (@id, @name, @value)
        ON DUPLICATE KEY UPDATE value = @value
        """;

    private const string InsertStateSql = """
        INSERT INTO hf_state (job_id, name, reason, created_at, data)
        VALUES (@id, @name, @reason, @createdAt, @data)
        """;

    private const string PointAtStateSql = """
        UPDATE hf_job
        SET state_id = LAST_INSERT_ID(), state_name = @name
        WHERE id = @id
        """;

    private const string PointAtStateAndExpireSql = """
        UPDATE hf_job
        SET state_id = LAST_INSERT_ID(), state_name = @name, expire_at = @expireAt
        WHERE id = @id
        """;

    private const string ExpireSql = "UPDATE hf_job SET expire_at = @expireAt WHERE id = @id";

    private const string PersistSql = "UPDATE hf_job SET expire_at = NULL WHERE id = @id";

    /// <summary>
    /// Inserts the job and its parameters in one round trip and returns its id. Outside a transaction they go in one of
    /// their own (<paramref name="inTransaction"/> false): one durable commit for both rows, not one per row, and never a
    /// job without its parameters. A statement that fails leaves that transaction open; the caller rolls it back.
    /// </summary>
    public static long Create(MySqlConnection connection, bool inTransaction, Job job,
        IDictionary<string, string?> parameters, DateTime createdAt, DateTime expireAt, int timeoutSeconds)
    {
        var invocationData = InvocationData.SerializeJob(job);
        var sql = new System.Text.StringBuilder();
        if (!inTransaction) sql.Append("START TRANSACTION;\n");
        sql.Append(InsertJobSql).Append(";\n");
        var args = new DynamicParameters(new
        {
            invocationData = invocationData.SerializePayload(excludeArguments: true),
            arguments = invocationData.Arguments,
            createdAt,
            expireAt,
        });
        if (parameters.Count > 0)
        {
            // LAST_INSERT_ID() still names the job here: hf_job_parameter has no auto-increment column.
            sql.Append("INSERT INTO hf_job_parameter (job_id, name, value) VALUES ");
            var i = 0;
            foreach (var (name, value) in parameters)
            {
                if (i > 0) sql.Append(", ");
                sql.Append($"(LAST_INSERT_ID(), @n{i}, @v{i})");
                args.Add($"n{i}", name);
                args.Add($"v{i}", value);
                i++;
            }
            sql.Append(";\n");
        }
        // LAST_INSERT_ID() is the session's: still the job's id after the COMMIT.
        if (!inTransaction) sql.Append("COMMIT;\n");
        sql.Append("SELECT LAST_INSERT_ID()");
        return connection.ExecuteScalar<long>(sql.ToString(), args, commandTimeout: timeoutSeconds);
    }

    public static JobData? GetData(MySqlConnection connection, long id) =>
        ReadData(connection.Query<JobRow>(SelectJobAndParametersSql, new { id }).AsList());

    /// <summary>The job's data, read right after its state lock is granted (Hangfire reads it next, under the lock).</summary>
    public static Locks.MySqlDistributedLock.LockedRead<JobData?> ReadDataUnderLock(long id) => new(SelectJobAndParametersSql, new { id }, ReadData);

    private static JobData? ReadData(SqlMapper.GridReader results) => ReadData(results.Read<JobRow>().AsList());

    private static JobData? ReadData(List<JobRow> rows)
    {
        if (rows.Count == 0) return null;
        var row = rows[0];
        var parameters = rows.Where(r => r.ParameterName is not null).ToDictionary(r => r.ParameterName!, r => r.ParameterValue);
        Job? job = null;
        JobLoadException? loadException = null;
        InvocationData invocationData;
        try
        {
            invocationData = InvocationData.DeserializePayload(row.InvocationData);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A row that is not Hangfire's JSON (written by hand, or damaged) must fail its job, not its worker.
            invocationData = new InvocationData(null, null, null, row.Arguments);
            loadException = new JobLoadException("The job's stored invocation data could not be read.", ex);
        }
        if (!string.IsNullOrEmpty(row.Arguments)) invocationData.Arguments = row.Arguments;
        try
        {
            if (loadException is null) job = invocationData.DeserializeJob();
        }
        catch (JobLoadException ex)
        {
            // A job whose type or method cannot be loaded (or is not allowed) is still data: Hangfire fails it with this.
            loadException = ex;
        }
        return new JobData
        {
            Job = job,
            InvocationData = invocationData,
            State = row.StateName,
            CreatedAt = DateTime.SpecifyKind(row.CreatedAt, DateTimeKind.Utc),
            LoadException = loadException,
            // Hangfire's filters read parameters from this snapshot instead of one round trip each.
            ParametersSnapshot = parameters!,
        };
    }

    public static StateData? GetState(MySqlConnection connection, long id)
    {
        var row = connection.QuerySingleOrDefault<(string Name, string? Reason, string? Data)>(SelectStateSql, new { id });
        if (row.Name is null) return null;
        var data = row.Data is null ? null : SerializationHelper.Deserialize<Dictionary<string, string>>(row.Data);
        return new StateData
        {
            Name = row.Name,
            Reason = row.Reason,
            Data = new Dictionary<string, string>(data ?? [], StringComparer.OrdinalIgnoreCase),
        };
    }

    public static string? GetParameter(MySqlConnection connection, long id, string name) =>
        connection.QuerySingleOrDefault<string?>(SelectParameterSql, new { id, name });

    public static void SetParameter(MySqlConnection connection, long id, string name, string? value) =>
        connection.Execute(UpsertParameterSql, new { id, name, value });

    public static WriteCommand SetParameterCommand(long id, string name, string? value) =>
        new(TableOrder.Job, JobKey(id), UpsertParameterSql, [P("@id", id), P("@name", name), P("@value", value)]);

    /// <summary>Appends the state to the history and makes it current (two commands, adjacent after sorting).</summary>
    public static IEnumerable<WriteCommand> SetStateCommands(long id, IState state, DateTime now)
    {
        yield return AddStateCommand(id, state, now);
        yield return new WriteCommand(TableOrder.Job, JobKey(id), PointAtStateSql, [P("@id", id), P("@name", state.Name)]);
    }

    /// <summary>The second command of <see cref="SetStateCommands"/> that also sets the job's expiry (null: never
    /// expires): Hangfire expires or persists a job right after setting its state, so one UPDATE does both.</summary>
    public static WriteCommand PointAtStateAndExpireCommand(long id, string stateName, DateTime? expireAt) =>
        new(TableOrder.Job, JobKey(id), PointAtStateAndExpireSql, [P("@id", id), P("@name", stateName), P("@expireAt", expireAt)]);

    public static WriteCommand AddStateCommand(long id, IState state, DateTime now) =>
        new(TableOrder.Job, JobKey(id), InsertStateSql,
        [
            P("@id", id),
            P("@name", state.Name),
            P("@reason", state.Reason is { Length: > ReasonLength } reason ? reason[..ReasonLength] : state.Reason),
            P("@createdAt", now),
            P("@data", SerializationHelper.Serialize(state.SerializeData())),
        ]);

    public static WriteCommand ExpireCommand(long id, DateTime expireAt) =>
        new(TableOrder.Job, JobKey(id), ExpireSql, [P("@id", id), P("@expireAt", expireAt)]);

    public static WriteCommand PersistCommand(long id) =>
        new(TableOrder.Job, JobKey(id), PersistSql, [P("@id", id)]);

    private sealed class JobRow
    {
        public string InvocationData { get; set; } = "";
        public string? Arguments { get; set; }
        public string? StateName { get; set; }
        public DateTime CreatedAt { get; set; }
        public string? ParameterName { get; set; }
        public string? ParameterValue { get; set; }
    }
}
