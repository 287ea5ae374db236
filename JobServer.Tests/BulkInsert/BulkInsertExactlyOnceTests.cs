using System.Diagnostics;
using System.Text.Json;
using Hangfire;
using Hangfire.States;
using JobServer.Jobs;
using JobServer.Storage.MySql;
using JobServer.Tests.HangfireJobs;
using JobServer.Tests.Infrastructure;
using Xunit.Abstractions;

namespace JobServer.Tests.BulkInsert;

/// <summary>
/// The bulk insert's promise under the worst a machine can do: a real JobServer process is killed with SIGKILL half-way
/// through a load (no finally block, no shutdown, an open transaction lost with its connection); another server gets the
/// job back from the storage and finishes it. The table then holds exactly the rows asked for, each sequence number
/// once, and a ledger row for every chunk.
/// </summary>
public sealed class BulkInsertExactlyOnceTests(TestDatabase database, ITestOutputHelper output) : IClassFixture<TestDatabase>
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task ProcessKilledMidLoad_NextServerFinishes_ExactlyRowsOnce()
    {
        const int rows = 300_000, chunkSize = 1_000, chunks = rows / chunkSize;
        // A dead server's job comes back once its keep-alive is 3 s old (the storage's invisibility timeout).
        var storageSettings = new Dictionary<string, string>
        {
            ["JobServer__Storage__InvisibilityTimeout"] = "00:00:03",
            ["JobServer__Storage__KeepAliveInterval"] = "00:00:01",
        };
        using var child = ChildServer.Start(database.ConnectionString, "bulk-kill-" + Guid.NewGuid().ToString("N")[..6], storageSettings);
        using var storage = new MySqlStorage(database.ConnectionString, new MySqlStorageOptions { PrepareSchemaIfNecessary = false });
        await WaitForHangfireServerAsync(child, storage);

        Assert.True(JobTypes.TryCreateJob(BulkInsertJob.TypeName, JsonSerializer.SerializeToElement(new { rows, project = "killed", chunkSize }), out var job, out _));
        var id = new BackgroundJobClient(storage).Create(job, new EnqueuedState());
        var midRun = await Eventually.UntilAsync(() => JobProgress.Read(storage, id), p => p is { Done: >= 10 * chunkSize } && p.Done < p.Total, Long, "ten chunks committed");
        child.KillHard();
        var killedAt = Stopwatch.StartNew();

        var (committed, _) = ApiDataFacts.LedgerOf(database, id);
        Assert.InRange(committed, 10, chunks - 1);
        Assert.Equal(ProcessingState.StateName, storage.GetConnection().GetStateData(id).Name);

        await using var next = new JobServerFactory(database.ConnectionString, new Dictionary<string, string?>
        {
            ["JobServer:Storage:InvisibilityTimeout"] = "00:00:03",
            ["JobServer:Storage:KeepAliveInterval"] = "00:00:01",
        });
        await next.ReadyAsync();
        await Eventually.UntilAsync(() => JobProgress.Read(storage, id), p => p!.Done > midRun!.Done + chunkSize, Long, "the load to go on");
        var resumedAfter = killedAt.Elapsed;
        var succeeded = await Eventually.UntilAsync(() => storage.GetConnection().GetStateData(id), s => s?.Name == SucceededState.StateName, Long, $"job {id} to succeed on the next server");

        output.WriteLine($"killed at {midRun!.Done:N0}/{rows:N0} rows ({committed} chunks in the ledger); picked up again {resumedAfter.TotalSeconds:F1} s after the kill, succeeded {killedAt.Elapsed.TotalSeconds:F1} s after it");
        Assert.Equal((rows, rows, 1L, rows), ApiDataFacts.RowsOf(database, id));
        Assert.Equal(((long)chunks, (long)rows), ApiDataFacts.LedgerOf(database, id));
        var result = JsonDocument.Parse(succeeded!.Data["Result"]).RootElement;
        Assert.True(result.GetProperty("resumedChunks").GetInt32() >= committed, result.ToString());
    }

    /// <summary>The child is ready when its Hangfire server has registered (read through the storage's monitoring API,
    /// which needs nothing of the child's HTTP API).</summary>
    private static Task WaitForHangfireServerAsync(ChildServer child, JobStorage storage) =>
        Eventually.UntilAsync(() =>
            {
                Assert.False(child.HasExited, child.RecentOutput);
                try
                {
                    return storage.GetMonitoringApi().Servers().Any(s => s.Name.StartsWith(child.Name + ":", StringComparison.OrdinalIgnoreCase));
                }
                catch (MySqlConnector.MySqlException)
                {
                    return false; // the child has not created the schema yet
                }
            }, ok => ok, TimeSpan.FromSeconds(60), $"{child.Name}'s Hangfire server");
}
