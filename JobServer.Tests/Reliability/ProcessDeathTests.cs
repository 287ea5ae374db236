using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using JobServer.Engine.States;
using JobServer.Jobs.BulkInsert;
using JobServer.Storage;
using JobServer.Tests.BulkInsert;
using JobServer.Tests.Infrastructure;
using Xunit.Abstractions;

namespace JobServer.Tests.Reliability;

/// <summary>
/// kill -9 of a JobServer process in the middle of work: a second server finishes everything, every job's effect
/// happens exactly once, and the dead server is shown as such, then cleaned up.
/// </summary>
[Trait("Category", ReliabilityScale.Category)]
public sealed class ProcessDeathTests(TestDatabase database, ITestOutputHelper output) : IClassFixture<TestDatabase>
{
    private static readonly ReliabilityScale Scale = ReliabilityScale.Current;

    [Fact]
    public async Task KillNineDuringSleepJobs_SecondServerFinishes_EachSucceededExactlyOnce()
    {
        database.Reset();
        // The front only answers HTTP: it shows the servers list while no live server could have cleaned it up yet.
        using var front = ChildServer.StartApiOnly(database.ConnectionString, "front");
        using var doomed = ChildServer.Start(database.ConnectionString, "doomed");
        using var api = await front.CreateReadyClientAsync();
        await doomed.WaitUntilReadyAsync();
        var doomedId = doomed.ServerId!;
        var clock = Stopwatch.StartNew();
        var ids = await EnqueueSleepJobsAsync(api, Scale.SleepJobs, Scale.SleepMs);

        await Eventually.UntilAsync(() => JobRecords.Succeeded(database), n => n >= Scale.SleepJobs / 4, TimeSpan.FromSeconds(60), "a quarter of the jobs done");
        doomed.KillHard();
        var doneAtKill = JobRecords.Succeeded(database);
        Assert.True(doneAtKill < Scale.SleepJobs, "every job was done before the kill: the test proves nothing");

        await Eventually.UntilAsync(() => AliveAsync(api, doomedId), alive => alive == false, TimeSpan.FromSeconds(30), "the killed server to be shown as not alive");
        // Nobody recovers anything before the survivor starts: these are exactly the jobs the kill interrupted.
        var interrupted = JobRecords.ClaimedBy(database, doomedId);
        Assert.NotEmpty(interrupted);

        using var survivor = ChildServer.Start(database.ConnectionString, "survivor");
        await JobRecords.UntilAllFinishedAsync(database, TimeSpan.FromSeconds(120)); // the verdict names any that did not
        var seconds = clock.Elapsed.TotalSeconds;

        var verdict = ExactlyOnceVerdict.Judge(ids, JobRecords.ReadAll(database), interrupted, doomedId);
        var claims = JobRecords.ClaimsPerServer(database);
        output.WriteLine($"[{Scale.Name}] kill -9 during {Scale.SleepJobs:N0} sleep jobs of {Scale.SleepMs} ms: {doneAtKill:N0} done at the kill, " +
                         $"{interrupted.Count} in the dead server's hands; all finished {seconds:N1} s after enqueue; {verdict}; " +
                         $"claims per server: {string.Join(", ", claims.Select(c => $"{c.Key} {c.Value:N0}"))}");
        verdict.AssertClean();
        Assert.Null(await AliveAsync(api, doomedId));
        Assert.Contains(claims, c => c.Key.StartsWith("survivor:", StringComparison.Ordinal) && c.Value >= Scale.SleepJobs - doneAtKill);
    }

    [Fact]
    public async Task KillNineDuringBulkInsert_RecoveredJobResumes_ExactRowCount()
    {
        database.Reset();
        var rows = Scale.BulkRows;
        await using var creator = TestEngine.Create(database.ConnectionString); // creates jobs only: not started
        using var doomed = ChildServer.Start(database.ConnectionString, "doomed");
        await doomed.WaitUntilReadyAsync();
        var clock = Stopwatch.StartNew();
        var id = creator.Client.Enqueue(BulkInsertJob.TypeName, new BulkInsertArgs { Rows = rows, Project = "crash", ChunkSize = Scale.BulkChunkSize });

        // Kill a third of the way in: some chunks committed, the next one in flight.
        await Eventually.UntilAsync(() => creator.Reader.GetJob(id)!, j => j.Summary.Progress?.Done >= rows / 3, TimeSpan.FromSeconds(120), "a third of the rows");
        doomed.KillHard();
        var atKill = creator.Reader.GetJob(id)!;
        Assert.Equal(JobState.Processing, atKill.Summary.State);
        Assert.True(atKill.Summary.Progress!.Done < rows, "the job finished before the kill; the test proves nothing");

        await using var survivor = await TestEngine.Create(database.ConnectionString).StartAsync();
        var job = await Eventually.UntilAsync(() => survivor.Reader.GetJob(id)!, j => j.Summary.State == JobState.Succeeded, TimeSpan.FromSeconds(180), "the recovered job");
        var seconds = clock.Elapsed.TotalSeconds;

        var found = ApiDataRows.Of(database, id);
        output.WriteLine($"[{Scale.Name}] kill -9 during a bulk insert of {rows:N0} rows in chunks of {Scale.BulkChunkSize:N0}: killed at {atKill.Summary.Progress.Done:N0} rows; " +
                         $"rows expected {rows:N0}, found {found.Rows:N0} ({found.DistinctSeq:N0} distinct seq, max {found.MaxSeq:N0}); " +
                         $"attempts {job.Summary.Attempts}; finished {seconds:N1} s after enqueue; result {job.ResultJson}");
        Assert.Equal((rows, rows, rows), found);
        Assert.Equal(2, job.Summary.Attempts);
        Assert.Contains(job.History, h => h.Reason == $"Requeued: server {doomed.ServerId} stopped heartbeating");
        Assert.Contains("\"resumedChunks\":", job.ResultJson);
        Assert.DoesNotContain("\"resumedChunks\":0,", job.ResultJson);
        Assert.Equal(new JobProgress(rows, rows), job.Summary.Progress);
        Assert.Equal(rows / Scale.BulkChunkSize, ApiDataRows.Chunks(database, id));
    }

    /// <summary>The server's <c>alive</c> flag on <c>GET /api/servers</c>; null when it is not listed.</summary>
    private static async Task<bool?> AliveAsync(HttpClient api, string serverId)
    {
        var servers = await api.GetFromJsonAsync<JsonElement>("/api/servers");
        return servers.EnumerateArray().Where(s => s.GetProperty("id").GetString() == serverId).Select(s => (bool?)s.GetProperty("alive").GetBoolean()).SingleOrDefault();
    }

    private static async Task<IReadOnlyList<long>> EnqueueSleepJobsAsync(HttpClient api, int count, int ms)
    {
        using var response = await api.PostAsJsonAsync("/api/jobs/batch", new { jobs = Enumerable.Repeat(new { type = "sleep", args = new { ms } }, count) });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ids").EnumerateArray().Select(id => id.GetInt64()).ToList();
    }
}
