using Dapper;
using JobServer.Storage.MySql;
using MySql.Data.MySqlClient;

namespace JobServer.Bench;

/// <summary>The benchmark's own database (scripts/bench.sh creates it): cases empty its tables freely.</summary>
internal sealed class BenchDatabase
{
    public BenchDatabase(string connectionString)
    {
        ConnectionString = connectionString;
        Db = new MySqlDb(new MySqlConnectionFactory(connectionString));
        new SchemaMigrator(Db).Migrate();
    }

    public string ConnectionString { get; }

    public MySqlDb Db { get; }

    public MySqlConnection Open()
    {
        var connection = new MySqlConnection(ConnectionString + ";AllowLoadLocalInfile=true");
        connection.Open();
        return connection;
    }

    public void EmptyApiData()
    {
        using var connection = Open();
        connection.Execute("TRUNCATE TABLE api_data; TRUNCATE TABLE api_data_chunk;");
    }

    public void EmptyJobs()
    {
        using var connection = Open();
        connection.Execute("""
            TRUNCATE TABLE js_queue; TRUNCATE TABLE js_schedule; TRUNCATE TABLE js_job_history; TRUNCATE TABLE js_job;
            TRUNCATE TABLE js_server; TRUNCATE TABLE js_stat; TRUNCATE TABLE js_stat_delta;
            TRUNCATE TABLE js_concurrency_key; TRUNCATE TABLE js_concurrency_lease; TRUNCATE TABLE js_concurrency_wait;
            TRUNCATE TABLE js_recurring; TRUNCATE TABLE js_recurring_run; TRUNCATE TABLE js_continuation;
            """);
    }
}
