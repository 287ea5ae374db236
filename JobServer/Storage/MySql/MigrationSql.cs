namespace JobServer.Storage.MySql;

internal static class MigrationSql
{
    public const string AcquireLock = "SELECT GET_LOCK(@name, @timeout)";

    public const string ReleaseLock = "SELECT RELEASE_LOCK(@name)";

    public const string CreateVersionTable = """
        CREATE TABLE IF NOT EXISTS js_schema_version (
          version    INT          NOT NULL,
          name       VARCHAR(200) NOT NULL,
          applied_at DATETIME(6)  NOT NULL,
          PRIMARY KEY (version)
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
        """;

    public const string SelectAppliedVersions = """
        SELECT version
        FROM js_schema_version
        """;

    public const string InsertVersion = """
        INSERT INTO js_schema_version (version, name, applied_at)
        VALUES (@version, @name, @now)
        """;
}
