using MySqlConnector;

namespace JobServer.Tests.SoakChild;

/// <summary>
/// The soak's own record of executions, in the job database (<c>soak_run</c>; the test creates it). A write waits out
/// a database restart (it retries for up to a minute), so an outage delays a run's record but never loses it or fails
/// the job; only a SIGKILL leaves a run without an end.
/// </summary>
public static class SoakLedger
{
    public const string CreateTableSql = """
        CREATE TABLE IF NOT EXISTS soak_run (
          id         BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
          job_id     BIGINT       NOT NULL,
          attempt    INT          NOT NULL,
          server_id  VARCHAR(200) NOT NULL,
          kind       VARCHAR(20)  NOT NULL,
          started_at DATETIME(6)  NOT NULL,
          ended_at   DATETIME(6)  NULL,
          outcome    VARCHAR(20)  NULL,
          KEY ix_soak_run_job (job_id)
        ) ENGINE=InnoDB
        """;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static string ConnectionString => Environment.GetEnvironmentVariable("ConnectionStrings__JobServer")
        ?? throw new InvalidOperationException("ConnectionStrings__JobServer is not set.");

    public static long Started(string jobId, int attempt, string serverId, string kind)
    {
        // The start is taken before any wait for the database: it is when the run began.
        var startedAt = DateTime.UtcNow;
        return Write(connection =>
        {
            using var insert = new MySqlCommand(
                "INSERT INTO soak_run (job_id, attempt, server_id, kind, started_at) VALUES (@job, @attempt, @server, @kind, @at); SELECT LAST_INSERT_ID()", connection);
            insert.Parameters.AddWithValue("@job", long.Parse(jobId, System.Globalization.CultureInfo.InvariantCulture));
            insert.Parameters.AddWithValue("@attempt", attempt);
            insert.Parameters.AddWithValue("@server", serverId);
            insert.Parameters.AddWithValue("@kind", kind);
            insert.Parameters.AddWithValue("@at", startedAt);
            return Convert.ToInt64(insert.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        });
    }

    public static void Ended(long run, string outcome)
    {
        var endedAt = DateTime.UtcNow;
        Write(connection =>
        {
            using var update = new MySqlCommand("UPDATE soak_run SET ended_at = @at, outcome = @outcome WHERE id = @id", connection);
            update.Parameters.AddWithValue("@at", endedAt);
            update.Parameters.AddWithValue("@outcome", outcome);
            update.Parameters.AddWithValue("@id", run);
            return update.ExecuteNonQuery();
        });
    }

    /// <summary>Reads through Hangfire's storage (a job parameter) as patiently as the ledger writes: the database may
    /// be restarting, and a soak job must fail only where its script says so.</summary>
    public static T Patiently<T>(Func<T> read)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            try
            {
                return read();
            }
            catch (Exception ex) when (ex is not OperationCanceledException && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(250);
            }
        }
    }

    private static T Write<T>(Func<MySqlConnection, T> write)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            try
            {
                using var connection = new MySqlConnection(ConnectionString);
                connection.Open();
                return write(connection);
            }
            catch (MySqlException) when (DateTime.UtcNow < deadline)
            {
                // The database is restarting; pooled connections died with it.
                MySqlConnection.ClearAllPools();
                Thread.Sleep(250);
            }
        }
    }
}
