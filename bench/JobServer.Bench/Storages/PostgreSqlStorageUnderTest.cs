using Dapper;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Npgsql;

namespace JobServer.Bench.Storages;

/// <summary>
/// Hangfire.PostgreSql on the benchmark's private PostgreSQL (scripts/pg.sh: fsync and synchronous_commit on), with the
/// package's low-latency options: long polling (each waiting fetch LISTENs for the NOTIFY that every enqueue sends, so
/// a job from another process is seen at once; same-process enqueues wake the fetchers through an in-process event
/// anyway), and a 1 s queue poll instead of the 15 s default as the fallback for a NOTIFY sent before a fetcher's
/// LISTEN was in place. Its README names no latency setting; these are the options of
/// <see cref="PostgreSqlStorageOptions"/> that exist for it. (Its shortest poll, 50 ms, would add 20 queries a second
/// per idle worker on a 2-core machine without making a notified fetch any sooner.)
/// </summary>
internal sealed class PostgreSqlStorageUnderTest(string connectionString) : StorageUnderTest
{
    public const string StorageName = "Hangfire.PostgreSql";
    private const string Schema = "hangfire";

    public override string Name => StorageName;

    public override async Task PrepareAsync()
    {
        // The storage installs or upgrades its schema when it is created with PrepareSchemaIfNecessary (its default).
        _ = new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, Options(prepareSchema: true)), Options(prepareSchema: true));
        await using var connection = await OpenAsync();
        await connection.ExecuteAsync("CREATE TABLE IF NOT EXISTS bench_commit (id BIGSERIAL PRIMARY KEY, payload VARCHAR(100) NOT NULL)");
        var options = Options(prepareSchema: false);
        Settings = new Dictionary<string, string>
        {
            ["package"] = "Hangfire.PostgreSql " + VersionOf(typeof(PostgreSqlStorage)),
            ["driver"] = "Npgsql " + VersionOf(typeof(NpgsqlConnection)),
            ["server"] = await connection.ExecuteScalarAsync<string>("SELECT version()") ?? "?",
            ["fsync"] = await Show(connection, "fsync"),
            ["synchronous_commit"] = await Show(connection, "synchronous_commit"),
            ["wal_sync_method"] = await Show(connection, "wal_sync_method"),
            ["full_page_writes"] = await Show(connection, "full_page_writes"),
            ["shared_buffers"] = await Show(connection, "shared_buffers"),
            ["max_connections"] = await Show(connection, "max_connections"),
            ["options"] = Describe(options) + " (the schema installed once, by PrepareAsync)",
            ["connection pool"] = $"Maximum Pool Size={new NpgsqlConnectionStringBuilder(connectionString).MaxPoolSize}",
        };
    }

    public override JobStorage CreateStorage()
    {
        var options = Options(prepareSchema: false);
        return new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, options), options);
    }

    public override async Task ResetAsync()
    {
        await using var connection = await OpenAsync();
        // Every table of the schema but its version row; identities restart so ids stay small like a fresh install's.
        var tables = (await connection.QueryAsync<string>(
            "SELECT format('%I.%I', schemaname, tablename) FROM pg_tables WHERE schemaname = @Schema AND tablename <> 'schema'",
            new { Schema })).ToList();
        await connection.ExecuteAsync($"TRUNCATE TABLE {string.Join(", ", tables)} RESTART IDENTITY");
    }

    public override async Task<double?> RawCommitsPerSecondAsync(int connections, int commits) =>
        await RawInsertsPerSecondAsync(async () => await OpenAsync(), connections, commits);

    private static PostgreSqlStorageOptions Options(bool prepareSchema) => new()
    {
        SchemaName = Schema,
        EnableLongPolling = true,
        QueuePollInterval = TimeSpan.FromSeconds(1),
        PrepareSchemaIfNecessary = prepareSchema,
    };

    private static async Task<string> Show(NpgsqlConnection connection, string setting) =>
        await connection.ExecuteScalarAsync<string>($"SELECT current_setting('{setting}')") ?? "?";

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return connection;
    }
}
