using System.Diagnostics;
using Dapper;
using Hangfire;
using Hangfire.States;
using JobServer.Hosting;
using JobServer.Jobs;
using JobServer.Storage.MySql;
using MySqlConnector;

namespace JobServer.Bench.Storages;

/// <summary>JobServer.Storage.MySql on the benchmark's own MariaDB database, with the options the host gives it — or,
/// as an ablation, with some of its gains switched off, so each is measured against its baseline in the same run.</summary>
internal sealed class MySqlStorageUnderTest(string connectionString, MySqlStorageUnderTest.Ablation? ablation = null) : StorageUnderTest
{
    public const string StorageName = "JobServer.Storage.MySql";

    /// <summary>Our storage with some options set back to what they were before a measured change.</summary>
    public sealed record Ablation(string Suffix, Action<MySqlStorageOptions> Apply);

    /// <summary>Selected with <c>--storage NAME</c> (or all of them with <c>--ablations</c>); never in the default run.</summary>
    public static IReadOnlyList<Ablation> Ablations { get; } =
    [
        new("no-merged-commits", o => o.MergeConcurrentCommits = false),
        new("session-reset", o => o.ResetPooledSessions = true),
        new("session-reset,no-merged-commits", o => { o.ResetPooledSessions = true; o.MergeConcurrentCommits = false; }),
    ];

    /// <summary>Cross join of digit tables: up to 10,000,000 numbered rows without a numbers table.</summary>
    private const string Numbers = """
        (SELECT 1 FROM (SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) a,
                       (SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) b,
                       (SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) c,
                       (SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) e,
                       (SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) f,
                       (SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) g,
                       (SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) h
         LIMIT @count) n
        """;

    private static readonly string[] Tables =
    [
        "hf_job", "hf_state", "hf_job_parameter", "hf_job_queue", "hf_server", "hf_set", "hf_hash", "hf_list",
        "hf_counter", "hf_aggregated_counter",
    ];

    public override string Name => ablation is null ? StorageName : $"{StorageName} ({ablation.Suffix})";

    public string ConnectionString => connectionString;

    public override async Task PrepareAsync()
    {
        new MySqlStorage(connectionString).Dispose(); // creates or upgrades the hf_* tables
        await ApiDataSchema.InstallAsync(new ApiDataDatabase(connectionString));
        await using var connection = await OpenAsync();
        await connection.ExecuteAsync("CREATE TABLE IF NOT EXISTS bench_commit (id BIGINT AUTO_INCREMENT PRIMARY KEY, payload VARCHAR(100) NOT NULL) ENGINE=InnoDB");
        var server = await connection.QuerySingleAsync<(string Version, string FlushLog, string SyncBinlog, string LogBin, long BufferPool)>(
            "SELECT VERSION(), @@innodb_flush_log_at_trx_commit, @@sync_binlog, @@log_bin, @@innodb_buffer_pool_size");
        var options = new JobServerOptions().Storage;
        Settings = new Dictionary<string, string>
        {
            ["package"] = "JobServer.Storage.MySql " + VersionOf(typeof(MySqlStorage)),
            ["driver"] = "MySqlConnector " + VersionOf(typeof(MySqlConnection)),
            ["server"] = "MariaDB " + server.Version,
            ["innodb_flush_log_at_trx_commit"] = server.FlushLog,
            ["sync_binlog"] = server.SyncBinlog,
            ["log_bin"] = server.LogBin,
            ["innodb_buffer_pool_size"] = $"{server.BufferPool / 1048576} MB",
            ["options"] = "the host's (JobServerOptions.Storage): " + Describe(options),
        };
    }

    public override bool SupportsBulkInsert => true;

    public override bool SeedsDashboardHistory => true;

    /// <summary>As <c>AddJobServer</c> creates it: the host's storage options and Succeeded retention.</summary>
    public override JobStorage CreateStorage()
    {
        var host = new JobServerOptions();
        host.Storage.PrepareSchemaIfNecessary = false;
        ablation?.Apply(host.Storage);
        return new MySqlStorage(connectionString, host.Storage) { JobExpirationTimeout = host.SucceededRetention };
    }

    public override async Task ResetAsync()
    {
        await using var connection = await OpenAsync();
        await connection.ExecuteAsync(string.Join(";", Tables.Select(t => $"TRUNCATE TABLE {t}")));
    }

    public override async Task<double?> RawCommitsPerSecondAsync(int connections, int commits) =>
        await RawInsertsPerSecondAsync(async () => await OpenAsync(), connections, commits);

    /// <summary>InnoDB's server-wide counters (MariaDB and MySQL name them alike); the bench database is the instance's only user.</summary>
    public override int? FailedCountLimit => new JobServerOptions().Storage.DashboardJobListLimit;

    public override async Task<ContentionCounters?> ContentionCountersAsync()
    {
        await using var connection = await OpenAsync();
        var status = (await connection.QueryAsync<(string Name, string Value)>(
                "SHOW GLOBAL STATUS WHERE Variable_name IN ('Innodb_row_lock_waits', 'Innodb_row_lock_time', 'Innodb_deadlocks', 'Questions', 'Com_commit')"))
            .ToDictionary(r => r.Name, r => long.Parse(r.Value, System.Globalization.CultureInfo.InvariantCulture), StringComparer.OrdinalIgnoreCase);
        return new ContentionCounters(status["Innodb_row_lock_waits"], status["Innodb_row_lock_time"], status["Innodb_deadlocks"], status["Questions"], status["Com_commit"]);
    }

    /// <summary>
    /// One Succeeded and one Failed job are written through Hangfire's client (so their rows, state data, parameters and
    /// counters are exactly what the storage writes), then copied set-based until there are as many as asked for.
    /// </summary>
    public override async Task SeedHistoryAsync(JobStorage storage, int succeeded, int failed)
    {
        var client = new BackgroundJobClient(storage);
        var stopwatch = Stopwatch.StartNew();
        await using var connection = await OpenAsync();
        if (succeeded > 0)
        {
            var template = client.Create<NoopJob>(x => x.Run(0), new SucceededState(null, 0, 1));
            await CopyAsync(connection, long.Parse(template, System.Globalization.CultureInfo.InvariantCulture), succeeded - 1, "stats:succeeded");
        }

        if (failed > 0)
        {
            var template = client.Create<NoopJob>(x => x.Fail(0), new FailedState(new InvalidOperationException("seeded failure")));
            await CopyAsync(connection, long.Parse(template, System.Globalization.CultureInfo.InvariantCulture), failed - 1, "stats:failed");
        }

        Console.WriteLine($"  seeded {succeeded:N0} Succeeded and {failed:N0} Failed jobs in {stopwatch.Elapsed.TotalSeconds:N1} s");
    }

    /// <summary>Jobs copied per statement group: each group is its own transaction, small enough that the engine needs
    /// no large undo or temporary table for it (one 1,000,000-job statement needed an on-disk temporary table).</summary>
    private const int CopyChunk = 100_000;

    private static async Task CopyAsync(MySqlConnection connection, long template, int count, string counterPrefix)
    {
        if (count <= 0) return;
        for (var done = 0; done < count; done += CopyChunk)
        {
            var first = await connection.ExecuteScalarAsync<long>("SELECT MAX(id) + 1 FROM hf_job");
            var args = new { template, count = Math.Min(CopyChunk, count - done), first };
            await connection.ExecuteAsync(
                $"""
                START TRANSACTION;
                INSERT INTO hf_job (invocation_data, arguments, created_at, expire_at, state_name)
                SELECT t.invocation_data, t.arguments, t.created_at, t.expire_at, t.state_name
                FROM hf_job t JOIN {Numbers}
                WHERE t.id = @template;
                INSERT INTO hf_job_parameter (job_id, name, value)
                SELECT j.id, p.name, p.value FROM hf_job j JOIN hf_job_parameter p ON p.job_id = @template WHERE j.id >= @first;
                INSERT INTO hf_state (job_id, name, reason, created_at, data)
                SELECT j.id, s.name, s.reason, s.created_at, s.data FROM hf_job j JOIN hf_state s ON s.job_id = @template
                WHERE j.id >= @first ORDER BY j.id, s.id;
                UPDATE hf_job j SET j.state_id = (SELECT MAX(s.id) FROM hf_state s WHERE s.job_id = j.id)
                WHERE j.id >= @first;
                COMMIT;
                """,
                args,
                commandTimeout: 3600);
        }

        await connection.ExecuteAsync(
            "INSERT INTO hf_counter (`key`, value, expire_at) SELECT `key`, @count, MAX(expire_at) FROM hf_counter WHERE `key` LIKE @prefix GROUP BY `key`",
            new { count, prefix = counterPrefix + "%" });
    }

    private async Task<MySqlConnection> OpenAsync()
    {
        var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync();
        return connection;
    }
}
