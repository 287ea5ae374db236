using System.Reflection;
using System.Text.RegularExpressions;
using Dapper;
using MySql.Data.MySqlClient;

namespace JobServer.Storage.MySql;

/// <summary>
/// Applies the scripts of <c>sql/</c> (embedded in this assembly) in version order, each once, recording it in
/// <c>js_schema_version</c>. Servers starting together serialize on a named lock, so exactly one applies a script.
/// Scripts are themselves re-runnable (IF NOT EXISTS), so a crash between a script and its version row is harmless.
/// </summary>
internal sealed partial class SchemaMigrator(MySqlDb db)
{
    private const string LockName = "jobserver_schema_migration";

    public IReadOnlyList<int> Migrate()
    {
        return db.Run(connection =>
        {
            var locked = connection.ExecuteScalar<int?>(MigrationSql.AcquireLock, new { name = LockName, timeout = 60 });
            if (locked != 1)
            {
                throw new InvalidOperationException("Timed out waiting for another server to finish migrating the schema.");
            }

            try
            {
                connection.Execute(MigrationSql.CreateVersionTable);
                var applied = connection.Query<int>(MigrationSql.SelectAppliedVersions).ToHashSet();
                var newlyApplied = new List<int>();
                foreach (var script in LoadScripts().Where(s => !applied.Contains(s.Version)))
                {
                    new MySqlScript(connection, script.Text).Execute();
                    connection.Execute(MigrationSql.InsertVersion, new { version = script.Version, name = script.Name, now = DateTime.UtcNow });
                    newlyApplied.Add(script.Version);
                }

                return (IReadOnlyList<int>)newlyApplied;
            }
            finally
            {
                connection.ExecuteScalar<int?>(MigrationSql.ReleaseLock, new { name = LockName });
            }
        });
    }

    internal static IReadOnlyList<SchemaScript> LoadScripts()
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        return assembly.GetManifestResourceNames()
            .Select(name => ScriptName().Match(name))
            .Where(match => match.Success)
            .Select(match => new SchemaScript(int.Parse(match.Groups["version"].Value), match.Groups["name"].Value, Read(assembly, match.Value)))
            .OrderBy(script => script.Version)
            .ToList();
    }

    private static string Read(Assembly assembly, string resourceName)
    {
        using var stream = assembly.GetManifestResourceStream(resourceName)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"^sql/(?<version>\d+)_(?<name>[\w\-]+)\.sql$")]
    private static partial Regex ScriptName();

    internal sealed record SchemaScript(int Version, string Name, string Text);
}
