using JobServer.Engine.States;
using JobServer.Storage;
using JobServer.Tests.Infrastructure;

namespace JobServer.Tests.Engine;

public sealed class ConcurrencyRecoveryTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Reject_ServerDiesMidJob_KeyStaysHeldUntilTheRecoveredJobEnds()
    {
        database.Reset();
        var log = new ExecutionLog();
        var doomed = await TestEngine.Create(database.ConnectionString + ";Maximum Pool Size=33", configure: s => s.AddTestJobs(log)).StartAsync();
        var id = doomed.Client.Enqueue(TestJobRegistration.KeyedReject, new KeyedArgs { Key = "p", FirstAttemptSleepMs = 60_000 });
        await log.StartedAsync(id);
        await doomed.Engine.SimulateCrashAsync();

        await using var survivor = await TestEngine.Create(database.ConnectionString + ";Maximum Pool Size=34", configure: s => s.AddTestJobs(log)).StartAsync();
        Assert.Throws<ConcurrencyLimitReachedException>(() => survivor.Client.Enqueue(TestJobRegistration.KeyedReject, new KeyedArgs { Key = "p" }));

        var job = await Eventually.UntilAsync(() => survivor.Reader.GetJob(id)!, j => j.Summary.State == JobState.Succeeded, TimeSpan.FromSeconds(20), "recovered job");
        Assert.Equal(2, job.Summary.Attempts);
        var next = survivor.Client.Enqueue(TestJobRegistration.KeyedReject, new KeyedArgs { Key = "p" });
        await Eventually.UntilAsync(() => survivor.Reader.GetJob(next)!.Summary.State == JobState.Succeeded, what: "next job for the key");
        await doomed.DisposeAsync();
    }
}
