using JobServer.Engine.States;
using JobServer.Storage;
using JobServer.Tests.Infrastructure;

namespace JobServer.Tests.Engine;

/// <summary>MariaDB stopped and started under a running engine: workers pause, then carry on by themselves.</summary>
[Collection(SerialCollection.Name)]
public sealed class DatabaseOutageTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task MariaDbRestart_WhileJobRuns_EngineRecordsItAndKeepsWorking()
    {
        database.Reset();
        var log = new ExecutionLog();
        await using var engine = await TestEngine.Create(database.ConnectionString, configure: s => s.AddTestJobs(log)).StartAsync();
        var running = engine.Client.Enqueue(TestJobRegistration.Record, new RecordArgs { SleepMs = 1500 });
        await log.StartedAsync(running);

        TestMariaDb.Stop();
        try
        {
            Assert.False(engine.Reader.Ping());
            Assert.Throws<StorageUnavailableException>(() => engine.Client.Enqueue(TestJobRegistration.Record));

            // The running job finishes while the database is down; its outcome waits for the database.
            await Eventually.UntilAsync(() => engine.Get<JobServer.Engine.Processing.RunningJobs>().Count == 0, what: "the job to finish during the outage");
        }
        finally
        {
            TestMariaDb.Start();
        }

        await Eventually.UntilAsync(() => engine.Reader.Ping(), TimeSpan.FromSeconds(30), "database back");
        var finished = await Eventually.UntilAsync(() => engine.Reader.GetJob(running)!, j => j.Summary.State == JobState.Succeeded, TimeSpan.FromSeconds(40), "outcome recorded after the outage");
        Assert.Equal(1, finished.Summary.Attempts);

        var after = engine.Client.Enqueue(TestJobRegistration.Record);
        await Eventually.UntilAsync(() => engine.Reader.GetJob(after)!.Summary.State == JobState.Succeeded, TimeSpan.FromSeconds(40), "a new job after the outage");
        Assert.Equal(1, log.RunsOf(after));
        Assert.Equal(1, log.RunsOf(running));
    }
}
