using JobServer.Engine.States;
using JobServer.Tests.Infrastructure;

namespace JobServer.Tests.Engine;

public sealed class GracefulShutdownTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task StopAsync_RunningJobs_AreSignalledAndReturnedToTheQueue()
    {
        database.Reset();
        var log = new ExecutionLog();
        var engine = await TestEngine.Create(
            database.ConnectionString,
            new Dictionary<string, string?> { ["ShutdownTimeout"] = "00:00:01" },
            s => s.AddTestJobs(log)).StartAsync();
        var polite = engine.Client.Enqueue(TestJobRegistration.Block, new BlockArgs());
        var stubborn = engine.Client.Enqueue(TestJobRegistration.Block, new BlockArgs { IgnoreCancellation = true });
        await log.StartedAsync(polite);
        await log.StartedAsync(stubborn);
        var serverId = engine.ServerId;

        await engine.Engine.StopAsync();

        Assert.Contains(polite.ToString(), log.Cancellations);
        foreach (var id in new[] { polite, stubborn })
        {
            var job = engine.Reader.GetJob(id)!;
            Assert.Equal(JobState.Enqueued, job.Summary.State);
            Assert.Equal(0, job.Summary.Attempts);
            Assert.Equal(JobState.Enqueued, job.History[^1].State);
            Assert.Contains("shut", job.History[^1].Reason);
        }

        Assert.Equal(2, engine.Reader.GetStats().States[JobState.Enqueued]);
        Assert.DoesNotContain(engine.Reader.GetServers(), s => s.Id == serverId);

        // The stubborn handler finishing late must not overwrite the release.
        var dispatcher = engine.Get<JobServer.Engine.Processing.JobDispatcher>();
        var reader = engine.Reader;
        log.Gate.SetResult();
        await Eventually.UntilAsync(() => dispatcher.Executions.Count == 0, what: "the stubborn handler to return");
        await engine.DisposeAsync();
        Assert.Equal(JobState.Enqueued, reader.GetJob(stubborn)!.Summary.State);
    }

    [Fact]
    public async Task StopAsync_ThenAnotherEngine_RunsTheReturnedJob()
    {
        database.Reset();
        var log = new ExecutionLog();
        var first = await TestEngine.Create(database.ConnectionString, configure: s => s.AddTestJobs(log)).StartAsync();
        var id = first.Client.Enqueue(TestJobRegistration.Block, new BlockArgs { BlockOnAttempt = 1 });
        await log.StartedAsync(id);
        await first.DisposeAsync();

        await using var second = await TestEngine.Create(database.ConnectionString, configure: s => s.AddTestJobs(log)).StartAsync();

        // The released attempt was given back, so the rerun is attempt 1 again and blocks; delete ends it.
        await Eventually.UntilAsync(() => log.RunsOf(id) == 2, what: "rerun");
        var job = second.Reader.GetJob(id)!;
        Assert.Equal(JobState.Processing, job.Summary.State);
        Assert.Equal(1, job.Summary.Attempts);
        second.Client.Delete(id);
    }
}
