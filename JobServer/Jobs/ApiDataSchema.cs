using System.Reflection;
using Dapper;
using MySqlConnector;

namespace JobServer.Jobs;

/// <summary>
/// Applies the embedded scripts sql/app/NNN_*.sql (api_data, its ledger, selectCountData) that
/// <c>app_schema_version</c> does not list yet, in order, under a named lock so that servers starting together apply
/// them once. Statements in a script are separated by lines reading <c>-- go</c>; scripts are re-runnable, because DDL
/// commits implicitly and a crash half-way must not leave a script that cannot be applied again.
/// </summary>
public static class ApiDataSchema
{
    private const string ResourcePrefix = "sql/app/";
    private const int LockTimeoutSeconds = 120;

    private const string CreateVersionTableSql = """
        CREATE TABLE IF NOT EXISTS app_schema_version (
          version    INT          NOT NULL,
          script     VARCHAR(200) NOT NULL,
          applied_at DATETIME(6)  NOT NULL,
          PRIMARY KEY (version)
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
        """;

    public static async Task InstallAsync(ApiDataDatabase database, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        // GET_LOCK names are server-wide: the database name keeps two databases on one server from waiting on each other.
        var lockName = $"app-schema:{connection.Database}";
        var locked = await connection.ExecuteScalarAsync<int?>("SELECT GET_LOCK(@lockName, @timeout)", new { lockName, timeout = LockTimeoutSeconds }).ConfigureAwait(false);
        if (locked != 1)
        {
            throw new TimeoutException($"Another server held the schema lock '{lockName}' for {LockTimeoutSeconds} s.");
        }

        try
        {
            await connection.ExecuteAsync(CreateVersionTableSql).ConfigureAwait(false);
            var applied = (await connection.QueryAsync<int>("SELECT version FROM app_schema_version").ConfigureAwait(false)).ToHashSet();
            foreach (var (version, name, statements) in Scripts())
            {
                if (applied.Contains(version)) continue;
                foreach (var statement in statements)
                {
                    await connection.ExecuteAsync(statement).ConfigureAwait(false);
                }

                await connection.ExecuteAsync(
                    "INSERT INTO app_schema_version (version, script, applied_at) VALUES (@version, @name, UTC_TIMESTAMP(6))",
                    new { version, name }).ConfigureAwait(false);
            }
        }
        finally
        {
            await connection.ExecuteAsync("DO RELEASE_LOCK(@lockName)", new { lockName }).ConfigureAwait(false);
        }
    }

    /// <summary>The embedded scripts as (version, name, statements), in version order.</summary>
    internal static IReadOnlyList<(int Version, string Name, IReadOnlyList<string> Statements)> Scripts()
    {
        var assembly = typeof(ApiDataSchema).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Select(name => (Version: int.Parse(name.AsSpan(ResourcePrefix.Length, 3)), Name: name[ResourcePrefix.Length..], Statements: Split(Read(assembly, name))))
            .OrderBy(script => script.Version)
            .ToList();
    }

    private static IReadOnlyList<string> Split(string script) =>
        script.Split(["\n-- go\n", "\r\n-- go\r\n"], StringSplitOptions.None)
            .Select(statement => statement.Trim())
            .Where(statement => statement.Split('\n').Any(line => line.Trim().Length > 0 && !line.TrimStart().StartsWith("--", StringComparison.Ordinal)))
            .ToList();

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
