using System.Data;
using System.Diagnostics;
using Hangfire.States;
using JobServer.Jobs;
using JobServer.Tests.Infrastructure;
using MySqlConnector;
using Xunit.Abstractions;

namespace JobServer.Tests.HangfireJobs;

/// <summary>
/// Why the job loads with <see cref="MySqlBulkLoader"/> from a tmpfs file: the two MySqlConnector paths measured on the
/// same 1,000,000 rows in the same run, next to the job itself at its default chunk size. Figures, not thresholds: the
/// machine is shared, so only correctness is asserted.
/// </summary>
public sealed class BulkLoaderComparisonTests(TestDatabase database, ITestOutputHelper output) : IClassFixture<TestDatabase>
{
    private const int Rows = 1_000_000;

    [Fact]
    public async Task OneMillionRows_BulkLoaderVsBulkCopyVsJob_ReportsRates()
    {
        var workload = new ApiDataDatabase(database.ConnectionString);
        await using var connection = await workload.OpenAsync();

        var stopwatch = Stopwatch.StartNew();
        var path = RawLoad.WriteFile(900_000_002, "loader", 1, Rows);
        var fileSeconds = stopwatch.Elapsed.TotalSeconds;
        double loaderSeconds;
        try
        {
            stopwatch.Restart();
            await using var transaction = await connection.BeginTransactionAsync();
            Assert.Equal(Rows, await RawLoad.LoadFileAsync(connection, path));
            await transaction.CommitAsync();
            loaderSeconds = stopwatch.Elapsed.TotalSeconds;
        }
        finally
        {
            File.Delete(path);
        }

        stopwatch.Restart();
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            var copy = new MySqlBulkCopy(connection, transaction) { DestinationTableName = "api_data", BulkCopyTimeout = 600 };
            string[] columns = ["name", "project", "job_id", "seq"];
            for (var i = 0; i < columns.Length; i++)
            {
                copy.ColumnMappings.Add(new MySqlBulkCopyColumnMapping(i, columns[i]));
            }

            var result = await copy.WriteToServerAsync(GeneratedRows(900_000_003, "copy"), columns.Length);
            Assert.Equal(Rows, result.RowsInserted);
            await transaction.CommitAsync();
        }

        var copySeconds = stopwatch.Elapsed.TotalSeconds;

        using var host = new HangfireJobsHost(database);
        host.StartServer();
        stopwatch.Restart();
        var id = host.Create(BulkInsertJob.TypeName, new { rows = Rows, project = "job" });
        var succeeded = await host.WaitForStateAsync(id, SucceededState.StateName, TimeSpan.FromMinutes(5));
        var jobWallSeconds = stopwatch.Elapsed.TotalSeconds;
        Assert.Equal((Rows, Rows, 1L, Rows), ApiDataFacts.RowsOf(database, id));
        var jobRate = HangfireJobsHost.ResultOf(succeeded).GetProperty("rowsPerSecond").GetDouble();

        var loaderRate = Rows / loaderSeconds;
        output.WriteLine($"MySqlBulkLoader (LOAD DATA LOCAL from a tmpfs file): {loaderRate:N0} rows/s load only, {Rows / (loaderSeconds + fileSeconds):N0} rows/s with writing the file ({fileSeconds:N2} s)");
        output.WriteLine($"MySqlBulkCopy (generated rows): {Rows / copySeconds:N0} rows/s; loader/copy = {copySeconds / loaderSeconds:N2}x");
        output.WriteLine($"bulk-insert job (10 chunks of 100,000, pipelined): {jobRate:N0} rows/s in the job, {Rows / jobWallSeconds:N0} rows/s enqueue → Succeeded; job/raw loader = {jobRate / loaderRate:P0}");
    }

    /// <summary>Rows made as they are sent, so the copy's memory stays flat like the file's.</summary>
    private static IEnumerable<DataRow> GeneratedRows(long jobId, string project)
    {
        using var table = new DataTable();
        table.Columns.Add("name", typeof(string));
        table.Columns.Add("project", typeof(string));
        table.Columns.Add("job_id", typeof(long));
        table.Columns.Add("seq", typeof(long));
        for (long seq = 1; seq <= Rows; seq++)
        {
            var row = table.NewRow();
            row[0] = "nameJams";
            row[1] = project;
            row[2] = jobId;
            row[3] = seq;
            yield return row;
        }
    }
}
