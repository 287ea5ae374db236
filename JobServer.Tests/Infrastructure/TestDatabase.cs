using Dapper;
using JobServer.Storage.MySql;
using MySql.Data.MySqlClient;

namespace JobServer.Tests.Infrastructure;

/// <summary>
/// A uniquely named database on the MariaDB that scripts/test.sh starts, with the schema applied. There is no skip:
/// when the database cannot be reached the tests fail, because a storage test that did not run proves nothing.
/// </summary>
public sealed class TestDatabase : IAsyncLifetime
{
    public const string EnvironmentVariable = "JOBSERVER_TEST_DB";

    private const string LocalDefault = "Server=127.0.0.1;Port=3317;User ID=jobserver_test;Password=jobserver_test;CharSet=utf8mb4;SslMode=None;AllowLoadLocalInfile=true";

    public string Name { get; } = "jobserver_t_" + Guid.NewGuid().ToString("N")[..12];

    public string ConnectionString { get; private set; } = "";

    public static string ServerConnectionString => Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } value ? value : LocalDefault;

    public Task InitializeAsync()
    {
        MySqlCharsetShim.Install();
        try
        {
            using var server = new MySqlConnection(ServerConnectionString);
            server.Open();
            server.Execute($"CREATE DATABASE `{Name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        }
        catch (MySqlException ex)
        {
            throw new InvalidOperationException(
                $"The test database is unreachable ({ex.Message}). Run the tests with scripts/test.sh, which starts MariaDB, or set {EnvironmentVariable}.", ex);
        }

        ConnectionString = new MySqlConnectionStringBuilder(ServerConnectionString) { Database = Name }.ConnectionString;
        new SchemaMigrator(CreateDb()).Migrate();
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        using var server = new MySqlConnection(ServerConnectionString);
        server.Open();
        server.Execute($"DROP DATABASE IF EXISTS `{Name}`");
        return Task.CompletedTask;
    }

    internal MySqlDb CreateDb(string? connectionString = null) => new(new MySqlConnectionFactory(connectionString ?? ConnectionString));

    /// <summary>Empties every job table, for tests that share this database one after another.</summary>
    public void Reset()
    {
        using var connection = Open();
        connection.Execute("""
            DELETE FROM js_queue; DELETE FROM js_schedule; DELETE FROM js_job_history; DELETE FROM js_job;
            DELETE FROM js_server; DELETE FROM js_stat; DELETE FROM js_stat_delta;
            DELETE FROM js_concurrency_key; DELETE FROM js_concurrency_lease; DELETE FROM js_concurrency_wait;
            DELETE FROM js_recurring; DELETE FROM js_recurring_run; DELETE FROM js_continuation;
            TRUNCATE TABLE api_data; TRUNCATE TABLE api_data_chunk;
            """);
    }

    public MySqlConnection Open()
    {
        var connection = new MySqlConnection(ConnectionString);
        connection.Open();
        return connection;
    }
}
