using JobServer.Engine.States;
using JobServer.Jobs.Builtin;
using JobServer.Storage;
using JobServer.Tests.Infrastructure;

namespace JobServer.Tests.Engine;

/// <summary>The shipped <c>fail</c> demo job, and the parent/continuation links a job's detail carries.</summary>
public sealed class FailJobAndLinksTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task FailJob_FailsOnceWithStackTrace_ThenRecoversWhenRequeuedAfterItsTime()
    {
        database.Reset();
        await using var engine = await TestEngine.Create(database.ConnectionString).StartAsync();
        var succeedAfter = DateTimeOffset.UtcNow.AddSeconds(1);
        var id = engine.Client.Enqueue(FailJob.TypeName, new FailJobArgs { Message = "boom", SucceedAfter = succeedAfter });

        var failed = await Eventually.UntilAsync(() => engine.Reader.GetJob(id)!, j => j.Summary.State == JobState.Failed, what: "the failure");
        Assert.Equal(1, failed.Summary.Attempts);
        Assert.Equal("boom", failed.History[^1].ExceptionMessage);
        Assert.Contains("SimulatedFailure", failed.History[^1].ExceptionDetails);

        await Eventually.UntilAsync(() => DateTimeOffset.UtcNow > succeedAfter, what: "the recovery time");
        engine.Client.Requeue(id);
        var recovered = await Eventually.UntilAsync(() => engine.Reader.GetJob(id)!, j => j.Summary.State == JobState.Succeeded, what: "the recovery");
        Assert.Equal("""{"recovered":true}""", recovered.ResultJson);
    }

    [Fact]
    public async Task GetJob_ParentAndChild_LinkEachOther()
    {
        database.Reset();
        await using var engine = TestEngine.Create(database.ConnectionString);
        var parent = engine.Client.Schedule("sleep", new SleepArgs(), TimeSpan.FromHours(1));
        var child = engine.Client.ContinueWith(parent, "sleep", new SleepArgs());

        var parentDetails = engine.Reader.GetJob(parent)!;
        var childDetails = engine.Reader.GetJob(child)!;

        Assert.Equal([new JobLink(child, "sleep", JobState.Awaiting)], parentDetails.Continuations);
        Assert.Equal(parent, childDetails.ParentId);
        Assert.Null(parentDetails.ParentId);
    }
}
