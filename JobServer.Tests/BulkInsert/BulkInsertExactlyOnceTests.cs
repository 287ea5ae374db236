using Dapper;
using JobServer.Engine.States;
using JobServer.Jobs.BulkInsert;
using JobServer.Storage;
using JobServer.Tests.Infrastructure;

namespace JobServer.Tests.BulkInsert;

/// <summary>The bulk insert's promise: exactly <c>rows</c> rows per job, whatever happens to the process running it
/// (kill -9 of that process: <see cref="Reliability.ProcessDeathTests"/>).</summary>
public sealed class BulkInsertExactlyOnceTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private (long Rows, long DistinctSeq, long MaxSeq) RowsOf(long jobId) => ApiDataRows.Of(database, jobId);

    private static bool Write(IApiDataStore store, BulkChunk chunk)
    {
        using var prepared = store.Prepare(chunk);
        return store.WriteChunk(prepared, DateTime.UtcNow);
    }

    [Fact]
    public async Task SecondRunOfFinishedChunks_WritesNothingTwice()
    {
        database.Reset();
        await using var engine = TestEngine.Create(database.ConnectionString);
        var store = engine.Get<IApiDataStore>();
        var chunk = new BulkChunk(JobId: 77, ChunkNo: 3, "p", "nameJams", FirstSeq: 3_001, Count: 1_000);

        Assert.True(Write(store, chunk));
        Assert.False(Write(store, chunk));

        Assert.Equal((1_000L, 1_000L, 4_000L), RowsOf(77));
        Assert.Equal(new HashSet<int> { 3 }, store.GetWrittenChunks(77));
        Assert.Equal(1_000, store.CountRows("p"));
    }

    [Fact]
    public async Task RunAfterPartialRun_SkipsLedgerChunks_ExactRowCount()
    {
        database.Reset();
        await using var engine = TestEngine.Create(database.ConnectionString);
        var id = engine.Client.Enqueue(BulkInsertJob.TypeName, new BulkInsertArgs { Rows = 10_500, Project = "resume", Name = "tab\there\\", ChunkSize = 1_000 });
        var store = engine.Get<IApiDataStore>();
        // A previous run committed chunks 0 and 7 before dying.
        Write(store, new BulkChunk(id, 0, "resume", "tab\there\\", 1, 1_000));
        Write(store, new BulkChunk(id, 7, "resume", "tab\there\\", 7_001, 1_000));

        await engine.StartAsync();
        var job = await Eventually.UntilAsync(() => engine.Reader.GetJob(id)!, j => j.Summary.State == JobState.Succeeded, TimeSpan.FromSeconds(30), "the job");

        Assert.Equal((10_500L, 10_500L, 10_500L), RowsOf(id));
        Assert.Contains("\"resumedChunks\":2", job.ResultJson);
        Assert.Contains("\"insertedRows\":8500", job.ResultJson);
        using var connection = database.Open();
        Assert.Equal(["tab\there\\"], connection.Query<string>("SELECT DISTINCT name FROM api_data WHERE job_id = @id", new { id }));
        Assert.Equal(10_500, store.CountRows("resume"));
        Assert.Equal(10_500, store.CountRows(null));
    }

    [Fact]
    public async Task Delete_RunningBulkInsert_StopsBetweenChunksAndReleasesProject()
    {
        database.Reset();
        await using var engine = await TestEngine.Create(database.ConnectionString).StartAsync();
        var id = engine.Client.Enqueue(BulkInsertJob.TypeName, new BulkInsertArgs { Rows = 2_000_000, Project = "big", ChunkSize = 10_000 });
        await Eventually.UntilAsync(() => engine.Reader.GetJob(id)!.Summary.Progress is { Done: > 0 }, TimeSpan.FromSeconds(30), "first chunk");

        engine.Client.Delete(id);

        await Eventually.UntilAsync(() => engine.Get<JobServer.Engine.Processing.RunningJobs>().Count == 0, TimeSpan.FromSeconds(30), "the job to stop");
        var written = RowsOf(id).Rows;
        Assert.True(written < 2_000_000 && written % 10_000 == 0, $"{written} rows: whole chunks only");
        var next = engine.Client.Enqueue(BulkInsertJob.TypeName, new BulkInsertArgs { Rows = 1_000, Project = "big" });
        await Eventually.UntilAsync(() => engine.Reader.GetJob(next)!.Summary.State == JobState.Succeeded, what: "the next job for the project");
    }
}
