using System.Diagnostics;
using System.Globalization;
using System.Text;
using Dapper;
using JobServer.Engine.States;
using JobServer.Jobs.BulkInsert;
using JobServer.Storage;
using JobServer.Storage.MySql;

namespace JobServer.Bench;

/// <summary>
/// The bulk-insert job against the ways of writing the same rows without it, in one run on one database:
/// raw LOAD DATA LOCAL INFILE (file written + one statement, the database's own limit), multi-row INSERT batches,
/// and one INSERT per row with autocommit (the user's original loop).
/// </summary>
internal sealed class BulkInsertBenchmark(BenchDatabase database, int rows, int repeats)
{
    private const int InsertBatch = 5_000;
    private const int RowByRowRows = 5_000;

    public async Task<IReadOnlyList<BenchResult>> RunAsync()
    {
        var results = new List<BenchResult>();
        var raw = Measure($"raw LOAD DATA ({rows:N0} rows, one statement)", rows, RawLoadData) with { IsBaseline = true };
        results.Add(raw);
        results.Add(Measure($"multi-row INSERT, {InsertBatch:N0} per statement", rows, MultiRowInsert) with { Baseline = raw });
        results.Add(Measure($"one INSERT per row, autocommit ({RowByRowRows:N0} rows)", RowByRowRows, RowByRow) with { Baseline = raw });
        results.Add(await MeasureJobAsync() with { Baseline = raw });
        return results;
    }

    private BenchResult Measure(string name, int count, Action<int> write)
    {
        var rates = new List<double>();
        database.EmptyApiData();
        write(Math.Min(count, 20_000)); // warm-up: JIT, pool, buffer pool pages
        for (var i = 0; i < repeats; i++)
        {
            database.EmptyApiData();
            var stopwatch = Stopwatch.StartNew();
            write(count);
            rates.Add(count / stopwatch.Elapsed.TotalSeconds);
            Verify(count);
        }

        return new BenchResult(name, "rows/s", Median(rates));
    }

    private async Task<BenchResult> MeasureJobAsync()
    {
        await using var server = await BenchServer.StartAsync(database.ConnectionString);
        var rates = new List<double>();
        for (var i = -1; i < repeats; i++)
        {
            database.EmptyApiData();
            var count = i < 0 ? 20_000 : rows; // the first run is the warm-up
            var id = server.Client.Enqueue(BulkInsertJob.TypeName, new BulkInsertArgs { Rows = count, Project = $"bench-{i + 1}" });
            var job = await server.WaitAsync(id, JobState.Succeeded, TimeSpan.FromMinutes(10));
            if (i >= 0)
            {
                rates.Add(count / (job.Summary.FinishedAt!.Value - job.Summary.StartedAt!.Value).TotalSeconds);
                Verify(count);
            }
        }

        // Memory must not grow with the row count: the job streams chunk files instead of holding rows.
        Console.WriteLine($"peak RSS of this process (engine in-process) after {rows:N0}-row jobs: {Environment.WorkingSet / 1048576} MB now, {System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64 / 1048576} MB peak");
        return new BenchResult($"bulk-insert job ({rows:N0} rows, chunks of {BulkInsertJob.DefaultChunkSize:N0})", "rows/s", Median(rates));
    }

    private void RawLoadData(int count)
    {
        using var file = ChunkFile.Write(new BulkChunk(0, 0, "raw", "nameJams", 1, count));
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
        using var load = new MySql.Data.MySqlClient.MySqlCommand(ApiDataSql.LoadChunkFile(file.Path), connection, transaction) { CommandTimeout = 600 };
        load.ExecuteNonQuery();
        transaction.Commit();
    }

    /// <summary>Values inlined as literals: they are the benchmark's own integers and constants, and MySql.Data's
    /// client-side parameter substitution would otherwise dominate (it halves the rate at 5,000 rows per statement).</summary>
    private void MultiRowInsert(int count)
    {
        using var connection = database.Open();
        for (var first = 1; first <= count; first += InsertBatch)
        {
            var n = Math.Min(InsertBatch, count - first + 1);
            var sql = new StringBuilder("INSERT INTO api_data (name, project, job_id, seq) VALUES ", n * 32);
            for (var i = 0; i < n; i++)
            {
                sql.Append(i == 0 ? "" : ",").Append("('nameJams','multi',0,").Append((first + i).ToString(CultureInfo.InvariantCulture)).Append(')');
            }

            using var transaction = connection.BeginTransaction();
            connection.Execute(sql.ToString(), transaction: transaction);
            transaction.Commit();
        }
    }

    private void RowByRow(int count)
    {
        using var connection = database.Open();
        for (var i = 1; i <= count; i++)
        {
            connection.Execute("INSERT INTO api_data (name, project, job_id, seq) VALUES (@name, @project, 0, @seq)", new { name = "nameJams", project = "row", seq = i });
        }
    }

    private void Verify(int count)
    {
        using var connection = database.Open();
        var actual = connection.ExecuteScalar<long>("SELECT COUNT(*) FROM api_data");
        if (actual != count)
        {
            throw new InvalidOperationException($"Expected {count} rows, found {actual}.");
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
