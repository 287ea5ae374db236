using JobServer.Engine.Maintenance;
using JobServer.Engine.States;
using JobServer.Storage;
using JobServer.Tests.Infrastructure;

namespace JobServer.Tests.Engine;

/// <summary>
/// A claim that committed although its server was told it failed — the connection died with the COMMIT's answer, as
/// when MariaDB shuts down under load. The database says the job is Processing on a live server that never started
/// it; no dead-server recovery applies, so the server itself must give such claims back.
/// </summary>
public sealed class UnconfirmedClaimTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task ClaimCommittedButUnknownToItsServer_JobIsRequeuedAndRunsOnce()
    {
        database.Reset();
        var log = new ExecutionLog();
        await using var engine = TestEngine.Create(database.ConnectionString, configure: s => s.AddTestJobs(log));
        var id = engine.Client.Enqueue(TestJobRegistration.Record);
        // What the lost answer leaves behind: the job claimed under this server's id, its dispatcher none the wiser.
        Assert.Single(engine.Get<IJobQueue>().Claim("default", engine.ServerId, 1, DateTime.UtcNow));

        await engine.StartAsync();

        var job = await Eventually.UntilAsync(() => engine.Reader.GetJob(id)!, j => j.Summary.State == JobState.Succeeded, TimeSpan.FromSeconds(15), "the unknown claim to be run");
        Assert.Equal(1, log.RunsOf(id));
        Assert.Equal(1, job.Summary.Attempts); // the attempt that never started is given back
        var requeue = Assert.Single(job.History, h => h.State == JobState.Enqueued && h.Reason?.Contains("never started") == true);
        Assert.Equal(engine.ServerId, requeue.ServerId);
    }

    [Fact]
    public async Task ClaimsOfRunningJobs_AreNotMistakenForUnknownOnes()
    {
        database.Reset();
        var log = new ExecutionLog();
        await using var engine = await TestEngine.Create(database.ConnectionString, configure: s => s.AddTestJobs(log)).StartAsync();
        var id = engine.Client.Enqueue(TestJobRegistration.Block, new BlockArgs { IgnoreCancellation = true });
        await log.StartedAsync(id);

        var watcher = engine.Get<LostClaimWatcher>();
        for (var round = 0; round < 3; round++)
        {
            Assert.Equal(0, await watcher.RunOnceAsync(CancellationToken.None));
        }

        log.Gate.SetResult();
        var job = await Eventually.UntilAsync(() => engine.Reader.GetJob(id)!, j => j.Summary.State == JobState.Succeeded, what: "the blocked job to finish");
        Assert.Equal(1, log.RunsOf(id));
        Assert.Equal([JobState.Enqueued, JobState.Processing, JobState.Succeeded], job.History.Select(h => h.State));
    }
}
