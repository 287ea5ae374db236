using Dapper;

namespace JobServer.Storage.MySql.Tests.Infrastructure;

/// <summary>
/// A trigger on hf_job_queue that writes a row to e2e_fetch each time a queue row gets a new fetch token, i.e. each
/// time any fetcher of any process claims a job. Keep-alives and requeues leave the token alone or clear it, so they
/// are not counted: the table holds exactly the claims.
/// </summary>
internal static class FetchAudit
{
    private const string CreateTableSql = """
        CREATE TABLE IF NOT EXISTS e2e_fetch (
          id         BIGINT       NOT NULL AUTO_INCREMENT,
          job_id     BIGINT       NOT NULL,
          fetched_by VARCHAR(100) NOT NULL,
          at         DATETIME(6)  NOT NULL,
          PRIMARY KEY (id),
          KEY ix_e2e_fetch_job (job_id)
        ) ENGINE=InnoDB
        """;

    private const string CreateTriggerSql = """
        CREATE TRIGGER e2e_fetch_audit AFTER UPDATE ON hf_job_queue FOR EACH ROW
          INSERT INTO e2e_fetch (job_id, fetched_by, at)
          SELECT NEW.job_id, NEW.fetched_by, UTC_TIMESTAMP(6)
          FROM DUAL
          WHERE NEW.fetch_token IS NOT NULL AND NOT (OLD.fetch_token <=> NEW.fetch_token)
        """;

    /// <summary>Installs (or reinstalls) the audit; the hf_* tables must exist (create a storage first).</summary>
    public static void Install(MySqlTestDatabase db)
    {
        using var connection = db.Open();
        connection.Execute(CreateTableSql);
        connection.Execute("DROP TRIGGER IF EXISTS e2e_fetch_audit");
        connection.Execute(CreateTriggerSql);
    }

    /// <summary>Claims per job id.</summary>
    public static Dictionary<long, int> ClaimsPerJob(MySqlTestDatabase db)
    {
        using var connection = db.Open();
        return connection.Query<(long JobId, int Claims)>("SELECT job_id, COUNT(*) FROM e2e_fetch GROUP BY job_id")
            .ToDictionary(r => r.JobId, r => r.Claims);
    }
}
