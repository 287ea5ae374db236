using MySqlConnector;

namespace JobServer.Jobs;

/// <summary>
/// The database of the workload tables (<c>api_data</c>, its ledger, <c>selectCountData</c>) for the Hangfire jobs.
/// LOCAL INFILE is switched on here rather than demanded of the configured string: the bulk insert cannot work without
/// it, and only these jobs' connections get it. Thread-safe; each call opens a pooled connection of its own.
/// </summary>
public sealed class ApiDataDatabase
{
    private readonly string _connectionString;

    public ApiDataDatabase(string connectionString)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        _connectionString = new MySqlConnectionStringBuilder(connectionString) { AllowLoadLocalInfile = true }.ConnectionString;
    }

    public async Task<MySqlConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new MySqlConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
