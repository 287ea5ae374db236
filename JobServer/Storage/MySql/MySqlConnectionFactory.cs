using MySql.Data.MySqlClient;

namespace JobServer.Storage.MySql;

/// <summary>
/// Hands out pooled connections, one per operation; a connection is never shared between threads.
/// Installing the utf8mb3 shim here guarantees it runs before the first connection of the process opens.
/// </summary>
internal sealed class MySqlConnectionFactory
{
    private readonly string _connectionString;

    public MySqlConnectionFactory(string connectionString)
    {
        MySqlCharsetShim.Install();
        var builder = new MySqlConnectionStringBuilder(connectionString);
        // Times are stored as UTC DATETIME(6); the driver must not convert them.
        builder.ConvertZeroDateTime = true;
        // The bulk insert streams chunks with LOAD DATA LOCAL INFILE (the server must allow local_infile too).
        builder.AllowLoadLocalInfile = true;
        _connectionString = builder.ConnectionString;
    }

    public string ConnectionString => _connectionString;

    public MySqlConnection Open()
    {
        var connection = new MySqlConnection(_connectionString);
        try
        {
            connection.Open();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }
}
