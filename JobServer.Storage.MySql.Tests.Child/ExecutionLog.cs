using Dapper;
using MySqlConnector;

namespace JobServer.Storage.MySql.Tests.Child;

/// <summary>
/// e2e_execution in the test's own database: every job of <see cref="E2EJobs"/> writes a row when it starts and when
/// it ends, with the process id, so runs in this process and in the test process are counted in one place.
/// </summary>
public static class ExecutionLog
{
    public const string Started = "start";
    public const string Finished = "finish";
    public const string Cancelled = "cancelled";
    public const string Threw = "threw";

    private const string CreateTableSql = """
        CREATE TABLE IF NOT EXISTS e2e_execution (
          id     BIGINT       NOT NULL AUTO_INCREMENT,
          job_id BIGINT       NOT NULL,
          tag    VARCHAR(100) NOT NULL,
          event  VARCHAR(20)  NOT NULL,
          pid    INT          NOT NULL,
          at     DATETIME(6)  NOT NULL,
          PRIMARY KEY (id),
          KEY ix_e2e_execution_job (job_id, id)
        ) ENGINE=InnoDB
        """;

    private const string InsertSql = """
        INSERT INTO e2e_execution (job_id, tag, event, pid, at)
        VALUES (@jobId, @tag, @event, @pid, @at)
        """;

    private const string SelectSql = """
        SELECT id AS Id, job_id AS JobId, tag AS Tag, event AS Event, pid AS Pid, at AS At
        FROM e2e_execution
        WHERE tag = @tag
        ORDER BY id
        """;

    public static void CreateTable(string connectionString)
    {
        using var connection = new MySqlConnection(connectionString);
        connection.Execute(CreateTableSql);
    }

    public static void Write(string connectionString, long jobId, string tag, string @event)
    {
        using var connection = new MySqlConnection(connectionString);
        connection.Execute(InsertSql, new { jobId, tag, @event, pid = Environment.ProcessId, at = DateTime.UtcNow });
    }

    public static IReadOnlyList<Execution> Read(string connectionString, string tag)
    {
        using var connection = new MySqlConnection(connectionString);
        return connection.Query<Execution>(SelectSql, new { tag }).ToList();
    }
}

/// <summary>One row of e2e_execution; <see cref="Id"/> orders events across processes.</summary>
public sealed record Execution(long Id, long JobId, string Tag, string Event, int Pid, DateTime At)
{
    public Execution() : this(0, 0, "", "", 0, default) { }
}
