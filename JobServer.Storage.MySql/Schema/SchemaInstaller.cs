using System.Reflection;
using Dapper;
using MySqlConnector;

namespace JobServer.Storage.MySql.Schema;

/// <summary>
/// Applies the embedded scripts (sql/hangfire/NNN_*.sql) that hf_schema_version does not list yet, in order, under a
/// named lock so that servers starting together migrate once. Scripts are forward-only and re-runnable.
/// </summary>
internal static class SchemaInstaller
{
    private const string ResourcePrefix = "hangfire/";
    private static readonly TimeSpan LockTimeout = TimeSpan.FromMinutes(2);

    private const string CreateVersionTableSql = """
        CREATE TABLE IF NOT EXISTS hf_schema_version (
          version    INT          NOT NULL,
          script     VARCHAR(200) NOT NULL,
          applied_at DATETIME(6)  NOT NULL,
          PRIMARY KEY (version)
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
        """;

    /// <summary>
    /// Scripts name the binary collation; utf8mb4_bin pads with spaces, so 'a' and 'a ' would be one set member, hash
    /// field or key, where Hangfire's other storages keep two. Each server has its own no-pad binary collation.
    /// </summary>
    private const string ScriptCollation = "utf8mb4_bin";

    private const string SelectAppliedSql = "SELECT version FROM hf_schema_version";

    private const string RecordSql = """
        INSERT INTO hf_schema_version (version, script, applied_at)
        VALUES (@version, @script, UTC_TIMESTAMP(6))
        """;

    /// <summary>The embedded scripts as (version, name, text), in version order.</summary>
    public static IReadOnlyList<(int Version, string Name, string Sql)> Scripts()
    {
        var assembly = typeof(SchemaInstaller).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Select(name => (Version: int.Parse(name.AsSpan(ResourcePrefix.Length, 3)), Name: name[ResourcePrefix.Length..], Sql: Read(assembly, name)))
            .OrderBy(script => script.Version)
            .ToList();
    }

    public static void Install(MySqlDatabase database)
    {
        using var connection = database.Open();
        using var schemaLock = Locks.MySqlDistributedLock.Acquire(connection, database, "schema", LockTimeout);
        var binary = BinaryNoPadCollation(connection);
        connection.Execute(CreateVersionTableSql);
        var applied = connection.Query<int>(SelectAppliedSql).ToHashSet();
        foreach (var (version, name, sql) in Scripts())
        {
            if (applied.Contains(version)) continue;
            // DDL commits implicitly in MySQL, so a script cannot be atomic; re-runnable scripts make a crash
            // half-way harmless: the next start runs the script again.
            connection.Execute(sql.Replace(ScriptCollation, binary, StringComparison.Ordinal), commandTimeout: 600);
            connection.Execute(RecordSql, new { version, script = name });
        }
    }

    private static string BinaryNoPadCollation(MySqlConnection connection) =>
        connection.ExecuteScalar<string>("SELECT VERSION()")!.Contains("MariaDB", StringComparison.OrdinalIgnoreCase)
            ? "utf8mb4_nopad_bin"
            : "utf8mb4_0900_bin";

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
