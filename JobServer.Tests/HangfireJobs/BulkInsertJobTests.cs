using Dapper;
using Hangfire;
using Hangfire.States;
using JobServer.Jobs;
using JobServer.Tests.Infrastructure;
using MySqlConnector;
using Xunit.Abstractions;

namespace JobServer.Tests.HangfireJobs;

/// <summary>The bulk insert on real Hangfire servers and MariaDB: exactly <c>rows</c> rows per job id whatever happens to
/// the run (crash, race, cancellation), progress while it runs, and its speed next to a raw LOAD DATA.</summary>
public sealed class BulkInsertJobTests(TestDatabase database, ITestOutputHelper output) : IClassFixture<TestDatabase>
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);

    private ApiDataDatabase Workload => new(database.ConnectionString);

    [Fact]
    public async Task Run_200kRows_ExactRowsCompleteLedgerAndProgressMidRun()
    {
        using var host = new HangfireJobsHost(database);
        host.StartServer();
        const int rows = 200_000;
        var id = host.Create(BulkInsertJob.TypeName, new { rows, project = "p200k", chunkSize = 5_000 });

        // Polled while it runs: some report strictly between start and end proves progress is visible mid-run.
        var midRun = await Eventually.UntilAsync(() => JobProgress.Read(host.Storage, id), p => p is { Done: > 0 } && p.Done < p.Total, Long, "progress mid-run");
        var succeeded = await host.WaitForStateAsync(id, SucceededState.StateName, Long);

        Assert.Equal((rows, rows, 1L, rows), ApiDataFacts.RowsOf(database, id));
        Assert.Equal((40L, (long)rows), ApiDataFacts.LedgerOf(database, id));
        Assert.Equal(new JobProgress(rows, rows), JobProgress.Read(host.Storage, id));
        var result = HangfireJobsHost.ResultOf(succeeded);
        Assert.Equal(rows, result.GetProperty("insertedRows").GetInt64());
        Assert.Equal(rows, result.GetProperty("projectRows").GetInt64());

        // The same rows by one raw LOAD DATA, in this run, on this machine: what the job's chunking, ledger and
        // progress cost. Measured after the job so both see the same table size class.
        await using var connection = await Workload.OpenAsync();
        var raw = await RawLoad.MeasureAsync(connection, jobId: 900_000_001, "raw200k", rows);
        var job = result.GetProperty("rowsPerSecond").GetDouble();
        output.WriteLine($"progress seen mid-run: {midRun!.Done}/{midRun.Total}");
        output.WriteLine($"bulk-insert job: {job:N0} rows/s ({rows:N0} rows, 40 chunks of 5,000); raw LOAD DATA: {raw:N0} rows/s; job/raw = {job / raw:P0}");
    }

    [Fact]
    public async Task Run_AfterSimulatedCrash_LoadsOnlyMissingChunks()
    {
        using var host = new HangfireJobsHost(database);
        const int rows = 10_500, chunkSize = 1_000;
        var id = host.Create(BulkInsertJob.TypeName, new { rows, project = "resume", chunkSize });

        // What a run that died after committing chunks 0, 3 and 7 leaves: their ledger rows and their rows (the chunk
        // it was loading when it died rolled back with its transaction, so it left nothing).
        await using (var connection = await Workload.OpenAsync())
        {
            foreach (var chunkNo in new[] { 0, 3, 7 })
            {
                await RawLoad.CommitChunkAsync(connection, long.Parse(id), "resume", chunkNo, chunkSize);
            }
        }

        host.StartServer();
        var succeeded = await host.WaitForStateAsync(id, SucceededState.StateName);

        Assert.Equal((rows, rows, 1L, rows), ApiDataFacts.RowsOf(database, id));
        Assert.Equal((11L, (long)rows), ApiDataFacts.LedgerOf(database, id));
        var result = HangfireJobsHost.ResultOf(succeeded);
        Assert.Equal(3, result.GetProperty("resumedChunks").GetInt32());
        Assert.Equal(rows - 3 * chunkSize, result.GetProperty("insertedRows").GetInt64());
        Assert.Equal(rows, result.GetProperty("projectRows").GetInt64());
    }

    [Fact]
    public async Task Run_RacingAnotherRunOfTheSameJob_FailsOnTheLedgerWithoutAddingRows()
    {
        using var host = new HangfireJobsHost(database);
        const int chunkSize = 1_000;
        var id = host.Create(BulkInsertJob.TypeName, new { rows = 5_000, project = "race", chunkSize });
        var jobId = long.Parse(id);

        // The "first run", mid-way through chunk 0: its ledger row is inserted, its transaction still open.
        await using var first = await Workload.OpenAsync();
        await using var transaction = await first.BeginTransactionAsync();
        await RawLoad.InsertLedgerRowAsync(first, transaction, jobId, 0, chunkSize);

        host.StartServer();
        // The second run reaches the same ledger row and waits on its lock.
        await Eventually.UntilAsync(() => LockWaits(), waiting => waiting > 0, TimeSpan.FromSeconds(30), "the second run to wait on the ledger row");
        await RawLoad.LoadChunkRowsAsync(first, jobId, "race", 0, chunkSize);
        await transaction.CommitAsync();

        await host.WaitUntilPerformedAsync(id);
        Assert.Contains(Chain(host.Performed.ExceptionOf(id)), e => e is ChunkAlreadyCommittedException);
        Assert.Equal((chunkSize, chunkSize, 1L, chunkSize), ApiDataFacts.RowsOf(database, id));
        Assert.Equal((1L, (long)chunkSize), ApiDataFacts.LedgerOf(database, id));
        // The failure is a Failed state in the history, on the way to the retry [AutomaticRetry] schedules.
        await host.WaitForStateAsync(id, ScheduledState.StateName);
        Assert.Contains(FailureMessages(id), m => m.Contains("already in the ledger", StringComparison.Ordinal));
        host.Client.Delete(id); // its retry would finish the job; not this test's subject
    }

    [Fact]
    public async Task Delete_WhileRunning_StopsBetweenChunks_WholeChunksOnly()
    {
        using var host = new HangfireJobsHost(database);
        host.StartServer();
        const int rows = 3_000_000, chunkSize = 10_000;
        var id = host.Create(BulkInsertJob.TypeName, new { rows, project = "cancel", chunkSize });
        await Eventually.UntilAsync(() => JobProgress.Read(host.Storage, id), p => p is { Done: > 0 }, Long, "the first chunk");

        Assert.True(host.Client.Delete(id));
        await host.WaitUntilPerformedAsync(id);

        var (written, distinct, _, _) = ApiDataFacts.RowsOf(database, id);
        var (chunks, ledgerRows) = ApiDataFacts.LedgerOf(database, id);
        output.WriteLine($"stopped after {chunks} chunks, {written:N0} of {rows:N0} rows");
        Assert.True(written < rows && written % chunkSize == 0, $"{written} rows: whole chunks only");
        Assert.Equal(written, distinct);
        Assert.Equal(written, ledgerRows);
        Assert.Equal(written, JobProgress.Read(host.Storage, id)!.Done);
        Assert.Equal(DeletedState.StateName, host.State(id)!.Name);
    }

    [Fact]
    public async Task ChunkTransaction_EndedWithoutCommit_LeavesNeitherLedgerRowNorRows()
    {
        // What a run that dies mid-chunk leaves, and why a re-run may load that chunk again: the ledger row and the
        // bulk-loaded rows share the transaction (MySqlBulkLoader runs in the connection's current transaction).
        const long jobId = 900_000_020;
        await using (var connection = await Workload.OpenAsync())
        {
            await using var transaction = await connection.BeginTransactionAsync();
            await RawLoad.InsertLedgerRowAsync(connection, transaction, jobId, 0, 1_000);
            await RawLoad.LoadChunkRowsAsync(connection, jobId, "died", 0, 1_000);
        }

        Assert.Equal((0L, 0L, 0L, 0L), ApiDataFacts.RowsOf(database, jobId.ToString()));
        Assert.Equal((0L, 0L), ApiDataFacts.LedgerOf(database, jobId.ToString()));
    }

    [Fact]
    public void Validate_OutOfRange_NamesEachField()
    {
        var errors = new BulkInsertArguments { Rows = 0, Project = "", Name = new string('n', 65), ChunkSize = 999 }.Validate();

        Assert.Equal(["rows", "project", "name", "chunkSize"], errors.Select(e => e.Field));
        Assert.Equal("must be between 1 and 10000000", errors[0].Message);
        Assert.Empty(new BulkInsertArguments { Rows = 10_000_000, Project = "p", ChunkSize = 1_000_000 }.Validate());
        Assert.Equal("nameJams", new BulkInsertArguments().Name);
    }

    // Hangfire wraps what a job throws (JobPerformanceException): look along the chain.
    private static IEnumerable<Exception> Chain(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            yield return exception;
        }
    }

    /// <summary>Ledger inserts in progress in this database. One takes microseconds unless it waits on a row lock, so
    /// seeing one means it waits. (The PROCESSLIST, not INNODB_TRX: the test user lacks PROCESS, and sees its own threads.)</summary>
    private int LockWaits()
    {
        using var connection = database.Open();
        return connection.ExecuteScalar<int>("""
            SELECT COUNT(*)
            FROM information_schema.PROCESSLIST
            WHERE DB = @name AND INFO LIKE 'INSERT INTO api_data_chunk%'
            """, new { name = database.Name });
    }

    private List<string> FailureMessages(string id)
    {
        // Retried jobs pass through Failed on the way to Scheduled: the history keeps the failure.
        using var connection = database.Open();
        return connection.Query<string>("SELECT data FROM hf_state WHERE job_id = @id AND name = 'Failed'", new { id = long.Parse(id) }).ToList();
    }
}
