using Dapper;
using MySqlConnector;

namespace JobServer.Storage.MySql.Tests.Infrastructure;

/// <summary>
/// A uniquely named, empty database on the MariaDB that scripts/test.sh starts. There is no skip: when the database
/// cannot be reached the tests fail, because a storage test that did not run proves nothing. The schema is applied
/// by the storage itself (PrepareSchemaIfNecessary), as in production.
/// </summary>
public sealed class MySqlTestDatabase : IAsyncLifetime
{
    public const string EnvironmentVariable = "JOBSERVER_TEST_DB";

    private const string LocalDefault = "Server=127.0.0.1;Port=3317;User ID=jobserver_test;Password=jobserver_test;SslMode=None;AllowLoadLocalInfile=true";

    public string Name { get; } = "jobserver_t_hf_" + Guid.NewGuid().ToString("N")[..12];

    public string ConnectionString { get; private set; } = "";

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } value ? value : LocalDefault;

    public async Task InitializeAsync()
    {
        try
        {
            await using var server = new MySqlConnection(ServerConnectionString);
            await server.OpenAsync();
            await server.ExecuteAsync($"CREATE DATABASE `{Name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        }
        catch (MySqlException ex)
        {
            throw new InvalidOperationException(
                $"The test database is unreachable ({ex.Message}). Run the tests with scripts/test.sh, which starts MariaDB, or set {EnvironmentVariable}.", ex);
        }
        ConnectionString = new MySqlConnectionStringBuilder(ServerConnectionString) { Database = Name }.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        MySqlConnection.ClearAllPools();
        await using var server = new MySqlConnection(ServerConnectionString);
        await server.OpenAsync();
        await server.ExecuteAsync($"DROP DATABASE IF EXISTS `{Name}`");
    }

    /// <summary>A storage on this database; the schema is created on first use.</summary>
    public MySqlStorage CreateStorage(MySqlStorageOptions? options = null) => new(ConnectionString, options ?? new MySqlStorageOptions());

    public MySqlConnection Open()
    {
        var connection = new MySqlConnection(ConnectionString);
        connection.Open();
        return connection;
    }

    /// <summary>Empties every Hangfire table, for tests that share this database one after another.</summary>
    public void Reset()
    {
        using var connection = Open();
        connection.Execute("""
            DELETE FROM hf_job; DELETE FROM hf_state; DELETE FROM hf_job_parameter; DELETE FROM hf_job_queue;
            DELETE FROM hf_server; DELETE FROM hf_set; DELETE FROM hf_hash; DELETE FROM hf_list;
            DELETE FROM hf_counter; DELETE FROM hf_aggregated_counter;
            """);
    }
}
