using Dapper;
using JobServer.Jobs;
using MySqlConnector;

namespace JobServer.Tests.Infrastructure;

/// <summary>
/// A uniquely named database on the MariaDB that scripts/test.sh starts, with the application's tables (api_data and
/// its ledger) applied; Hangfire's tables are created by the storage when a test creates one. There is no skip: when
/// the database cannot be reached the tests fail, because a storage test that did not run proves nothing.
/// </summary>
public sealed class TestDatabase : IAsyncLifetime
{
    public const string EnvironmentVariable = "JOBSERVER_TEST_DB";

    private const string LocalDefault = "Server=127.0.0.1;Port=3317;User ID=jobserver_test;Password=jobserver_test;CharSet=utf8mb4;SslMode=None;AllowLoadLocalInfile=true";

    private readonly string _server;

    public TestDatabase()
        : this(ServerConnectionString)
    {
    }

    /// <summary>A database on another MariaDB server than the shared test instance (a test's private one).</summary>
    internal TestDatabase(string serverConnectionString) => _server = serverConnectionString;

    public string Name { get; } = "jobserver_t_" + Guid.NewGuid().ToString("N")[..12];

    public string ConnectionString { get; private set; } = "";

    public static string ServerConnectionString => Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } value ? value : LocalDefault;

    public async Task InitializeAsync()
    {
        try
        {
            await using var server = new MySqlConnection(_server);
            await server.OpenAsync();
            await server.ExecuteAsync($"CREATE DATABASE `{Name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        }
        catch (MySqlException ex)
        {
            throw new InvalidOperationException(
                $"The test database is unreachable ({ex.Message}). Run the tests with scripts/test.sh, which starts MariaDB, or set {EnvironmentVariable}.", ex);
        }

        ConnectionString = new MySqlConnectionStringBuilder(_server) { Database = Name }.ConnectionString;
        await ApiDataSchema.InstallAsync(new ApiDataDatabase(ConnectionString));
    }

    public async Task DisposeAsync()
    {
        MySqlConnection.ClearPool(new MySqlConnection(ConnectionString));
        await using var server = new MySqlConnection(_server);
        await server.OpenAsync();
        await server.ExecuteAsync($"DROP DATABASE IF EXISTS `{Name}`");
    }

    public MySqlConnection Open()
    {
        var connection = new MySqlConnection(ConnectionString);
        connection.Open();
        return connection;
    }
}
