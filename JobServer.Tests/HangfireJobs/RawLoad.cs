using JobServer.Jobs;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Dapper;
using MySqlConnector;

namespace JobServer.Tests.HangfireJobs;

/// <summary>
/// Rows of <c>api_data</c> written by the test itself: the raw LOAD DATA the job is measured against, the chunks a
/// crashed run left behind, and the racing "first run". Same file format and columns as the job.
/// </summary>
internal static class RawLoad
{
    public static string WriteFile(long jobId, string project, long firstSeq, int count, string name = "nameJams")
    {
        var path = Path.Combine(Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath(), $"jobserver-test-{Guid.NewGuid():N}.tsv");
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false), bufferSize: 1 << 16);
        var prefix = $"{name}\t{project}\t{jobId.ToString(CultureInfo.InvariantCulture)}\t";
        for (var seq = firstSeq; seq < firstSeq + count; seq++)
        {
            writer.Write(prefix);
            writer.Write(seq.ToString(CultureInfo.InvariantCulture));
            writer.Write('\n');
        }

        return path;
    }

    /// <summary>One LOAD DATA LOCAL INFILE of a written file, in <paramref name="connection"/>'s current transaction.</summary>
    public static async Task<int> LoadFileAsync(MySqlConnection connection, string path)
    {
        await using var rows = File.OpenRead(path);
        var loader = ApiDataLoader.For(connection, rows);
        return await loader.LoadAsync();
    }

    /// <summary>A chunk as a crashed run left it: the ledger row and its rows, committed together.</summary>
    public static async Task CommitChunkAsync(MySqlConnection connection, long jobId, string project, int chunkNo, int chunkSize)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        await InsertLedgerRowAsync(connection, transaction, jobId, chunkNo, chunkSize);
        await LoadChunkRowsAsync(connection, jobId, project, chunkNo, chunkSize);
        await transaction.CommitAsync();
    }

    public static Task InsertLedgerRowAsync(MySqlConnection connection, MySqlTransaction transaction, long jobId, int chunkNo, int count) =>
        connection.ExecuteAsync(
            "INSERT INTO api_data_chunk (job_id, chunk_no, row_count, written_at) VALUES (@jobId, @chunkNo, @count, UTC_TIMESTAMP(6))",
            new { jobId, chunkNo, count }, transaction);

    public static async Task LoadChunkRowsAsync(MySqlConnection connection, long jobId, string project, int chunkNo, int chunkSize)
    {
        var path = WriteFile(jobId, project, (long)chunkNo * chunkSize + 1, chunkSize);
        try
        {
            Assert.Equal(chunkSize, await LoadFileAsync(connection, path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Rows per second of one LOAD DATA of <paramref name="rows"/> rows (file written beforehand, not timed).</summary>
    public static async Task<double> MeasureAsync(MySqlConnection connection, long jobId, string project, int rows)
    {
        var path = WriteFile(jobId, project, 1, rows);
        try
        {
            var stopwatch = Stopwatch.StartNew();
            await using var transaction = await connection.BeginTransactionAsync();
            Assert.Equal(rows, await LoadFileAsync(connection, path));
            await transaction.CommitAsync();
            return rows / stopwatch.Elapsed.TotalSeconds;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
