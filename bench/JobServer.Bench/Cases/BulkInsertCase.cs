using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Dapper;
using Hangfire;
using Hangfire.States;
using JobServer.Bench.Storages;
using JobServer.Jobs;
using MySqlConnector;

namespace JobServer.Bench.Cases;

/// <summary>
/// The bulk-insert job (built by <see cref="JobTypes.TryCreateJob"/> from the JSON arguments the API takes, run by a
/// real <see cref="BackgroundJobServer"/>) against writing the same rows without it, in one run on one database: raw
/// LOAD DATA LOCAL INFILE (the file written, then one statement: the database's own limit) and multi-row INSERT
/// batches. The job's rate is its Processing → Succeeded time, as the storage recorded it.
/// </summary>
internal sealed class BulkInsertCase(BenchEnvironment environment, BenchOptions options) : IBenchCase
{
    private const int InsertBatch = 5_000;
    private const int WarmUpRows = 50_000;

    public string Name => "bulk";

    public async Task<IReadOnlyList<BenchResult>> MeasureAsync(StorageUnderTest storage)
    {
        var raw = await MeasureAsync($"raw LOAD DATA LOCAL INFILE, file + one statement", RawLoadDataAsync) with { IsBaseline = true };
        var multi = await MeasureAsync($"multi-row INSERT, {InsertBatch:N0} rows per statement and commit", MultiRowInsertAsync) with { Baseline = raw };
        var job = await MeasureJobAsync(storage) with { Baseline = raw };
        return [raw, multi, job];
    }

    public async Task<IReadOnlyList<BenchGroup>> RunAsync(StorageUnderTest storage)
    {
        if (!storage.SupportsBulkInsert)
        {
            Console.WriteLine("  n/a: the bulk-insert job is JobServer's own API over MySQL");
            return [];
        }

        return [new BenchGroup($"Bulk insert of {options.Rows:N0} rows into api_data (rows/s), {storage.Name}", await MeasureAsync(storage))];
    }

    private async Task<BenchResult> MeasureAsync(string name, Func<int, Task> write)
    {
        var rates = new List<double>();
        for (var run = -1; run < options.Repeats; run++)
        {
            var count = run < 0 ? WarmUpRows : options.Rows; // the first run warms up JIT, pools and buffer pool pages
            await EmptyApiDataAsync();
            var stopwatch = Stopwatch.StartNew();
            await write(count);
            var seconds = stopwatch.Elapsed.TotalSeconds;
            await VerifyAsync(count);
            if (run >= 0) rates.Add(count / seconds);
        }

        return new BenchResult(name, "rows/s", Stats.Median(rates));
    }

    private async Task<BenchResult> MeasureJobAsync(StorageUnderTest storageUnderTest)
    {
        await storageUnderTest.ResetAsync();
        var storage = storageUnderTest.CreateStorage();
        try
        {
            var rates = new List<double>();
            var endToEnd = new List<double>();
            await using var memory = new ProcessMemory();
            await using (new BenchServer(storage, environment.ConnectionString, Hosting.JobServerOptions.DefaultWorkerCount))
            {
                var client = new BackgroundJobClient(storage);
                for (var run = -1; run < options.Repeats; run++)
                {
                    var count = run < 0 ? WarmUpRows : options.Rows;
                    await EmptyApiDataAsync();
                    var args = JsonDocument.Parse($$"""{"rows":{{count}},"project":"bench-{{run + 1}}"}""").RootElement;
                    if (!JobTypes.TryCreateJob(BulkInsertJob.TypeName, args, out var job, out var errors))
                    {
                        throw new InvalidOperationException("bulk-insert arguments refused: " + string.Join("; ", errors));
                    }

                    var stopwatch = Stopwatch.StartNew();
                    var id = client.Create(job, new EnqueuedState("default"));
                    await Wait.ForSucceededAsync(storage, id, TimeSpan.FromMinutes(15));
                    var seen = stopwatch.Elapsed.TotalSeconds;
                    await VerifyAsync(count);
                    if (run < 0) continue;
                    var history = storage.GetMonitoringApi().JobDetails(id).History;
                    var started = history.Single(h => h.StateName == ProcessingState.StateName).CreatedAt;
                    var finished = history.Single(h => h.StateName == SucceededState.StateName).CreatedAt;
                    rates.Add(count / (finished - started).TotalSeconds);
                    endToEnd.Add(count / seen);
                }
            }

            // Memory must not grow with the row count: the job streams chunk files instead of holding rows.
            Console.WriteLine($"  bulk-insert job: {Stats.Median(endToEnd):N0} rows/s from enqueue to Succeeded seen by polling; peak RSS of this process (server in it) {memory.PeakMb:N0} MB");
            return new BenchResult($"bulk-insert job (chunks of {BulkInsertArguments.DefaultChunkSize:N0}), Processing -> Succeeded", "rows/s", Stats.Median(rates));
        }
        finally
        {
            (storage as IDisposable)?.Dispose();
        }
    }

    /// <summary>The same file format and loader settings as the job, all rows in one file and one transaction.</summary>
    private async Task RawLoadDataAsync(int count)
    {
        using var file = BulkChunkFile.Write(new BulkChunk(0, 0, 1, count), "nameJams", "raw");
        await using var connection = await OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var rows = file.OpenRead();
        var loader = ApiDataLoader.For(connection, rows);
        await loader.LoadAsync();
        await transaction.CommitAsync();
    }

    /// <summary>Values inlined as literals: they are the benchmark's own integers and constants, so the figure is the
    /// database's, not the driver's parameter handling.</summary>
    private async Task MultiRowInsertAsync(int count)
    {
        await using var connection = await OpenAsync();
        for (var first = 1; first <= count; first += InsertBatch)
        {
            var n = Math.Min(InsertBatch, count - first + 1);
            var sql = new StringBuilder("INSERT INTO api_data (name, project, job_id, seq) VALUES ", n * 32);
            for (var i = 0; i < n; i++)
            {
                sql.Append(i == 0 ? "" : ",").Append("('nameJams','multi',0,").Append((first + i).ToString(CultureInfo.InvariantCulture)).Append(')');
            }

            await using var transaction = await connection.BeginTransactionAsync();
            await connection.ExecuteAsync(sql.ToString(), transaction: transaction);
            await transaction.CommitAsync();
        }
    }

    private async Task EmptyApiDataAsync()
    {
        await using var connection = await OpenAsync();
        await connection.ExecuteAsync("TRUNCATE TABLE api_data; TRUNCATE TABLE api_data_chunk");
    }

    private async Task VerifyAsync(int count)
    {
        await using var connection = await OpenAsync();
        var actual = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM api_data", commandTimeout: 600);
        if (actual != count) throw new InvalidOperationException($"Expected {count:N0} rows in api_data, found {actual:N0}.");
    }

    private async Task<MySqlConnection> OpenAsync()
    {
        var connection = new MySqlConnection(new MySqlConnectionStringBuilder(environment.ConnectionString) { AllowLoadLocalInfile = true }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}
