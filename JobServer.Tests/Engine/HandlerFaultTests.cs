using JobServer.Engine.Processing;
using JobServer.Engine.States;
using JobServer.Tests.Infrastructure;

namespace JobServer.Tests.Engine;

/// <summary>Handlers that misbehave cannot take a worker slot down for good.</summary>
public sealed class HandlerFaultTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Timeout_HandlerHangs_JobFailsAndTheOnlySlotIsFreedForTheNextJob(bool ignoresToken)
    {
        database.Reset();
        var log = new ExecutionLog();
        await using var engine = await TestEngine.Create(
            database.ConnectionString,
            new Dictionary<string, string?> { ["Queues:0:Workers"] = "1", ["CancellationGracePeriod"] = "00:00:00.200" },
            s => s.AddTestJobs(log)).StartAsync();

        var hung = engine.Client.Enqueue(TestJobRegistration.BlockWithTimeout, new BlockArgs { IgnoreCancellation = ignoresToken });
        var next = engine.Client.Enqueue(TestJobRegistration.Record);

        var failed = await Eventually.UntilAsync(() => engine.Reader.GetJob(hung)!, j => j.Summary.State == JobState.Failed, what: "the timeout");
        Assert.Equal(typeof(TimeoutException).FullName, failed.History[^1].ExceptionType);
        await Eventually.UntilAsync(() => engine.Reader.GetJob(next)!.Summary.State == JobState.Succeeded, what: "the next job on the freed slot");
        // The slot is given back just after the success is committed, so the database can show it first.
        await Eventually.UntilAsync(() => engine.Get<JobDispatcher>().Busy == 0, what: "every slot to be free again");
        log.Gate.TrySetResult();
    }
}
