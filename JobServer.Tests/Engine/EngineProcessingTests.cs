using JobServer.Engine.States;
using JobServer.Storage;
using JobServer.Tests.Infrastructure;

namespace JobServer.Tests.Engine;

/// <summary>One engine on the real database: the life of a job from enqueue to its final state.</summary>
public sealed class EngineProcessingTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private readonly ExecutionLog _log = new();
    private TestEngine _engine = null!;

    public async Task InitializeAsync()
    {
        database.Reset();
        _engine = await TestEngine.Create(database.ConnectionString, configure: s => s.AddTestJobs(_log)).StartAsync();
    }

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    private Task<JobDetails> WaitForStateAsync(long id, JobState state, TimeSpan? timeout = null) =>
        Eventually.UntilAsync(() => _engine.Reader.GetJob(id)!, j => j.Summary.State == state, timeout, $"job {id} to be {state}");

    [Fact]
    public async Task Enqueue_SleepJob_EndsSucceededWithHistoryAndResult()
    {
        var id = _engine.Client.Enqueue("sleep", new JobServer.Jobs.Builtin.SleepArgs { Ms = 10 });

        var job = await WaitForStateAsync(id, JobState.Succeeded);

        Assert.Equal([JobState.Enqueued, JobState.Processing, JobState.Succeeded], job.History.Select(h => h.State));
        Assert.Equal(_engine.ServerId, job.History[1].ServerId);
        Assert.Equal(1, job.Summary.Attempts);
        Assert.Equal("""{"slept":10}""", job.ResultJson);
        Assert.NotNull(job.Summary.FinishedAt);
    }

    [Fact]
    public async Task Schedule_Delay_DoesNotRunBeforeItsTime()
    {
        var before = DateTime.UtcNow;
        var id = _engine.Client.Schedule(TestJobRegistration.Record, new RecordArgs(), TimeSpan.FromSeconds(1.5));
        var runAt = before.AddSeconds(1.5);

        Assert.Equal(JobState.Scheduled, _engine.Reader.GetJob(id)!.Summary.State);
        var job = await WaitForStateAsync(id, JobState.Succeeded);

        var processing = job.History.Single(h => h.State == JobState.Processing);
        Assert.True(processing.At >= runAt, $"started at {processing.At:O}, due {runAt:O}");
        Assert.Equal([JobState.Scheduled, JobState.Enqueued, JobState.Processing, JobState.Succeeded], job.History.Select(h => h.State));
        Assert.Equal(1, _log.RunsOf(id));
    }

    [Fact]
    public async Task Enqueue_HandlerAlwaysThrows_RetriesThenFailsKeepingStackTrace()
    {
        var id = _engine.Client.Enqueue(TestJobRegistration.Fail, new FailArgs { Message = "upstream said no" });

        var job = await WaitForStateAsync(id, JobState.Failed);

        Assert.Equal(2, _log.RunsOf(id));
        Assert.Equal(2, job.Summary.Attempts);
        Assert.Equal(
            [JobState.Enqueued, JobState.Processing, JobState.Failed, JobState.Scheduled, JobState.Enqueued, JobState.Processing, JobState.Failed],
            job.History.Select(h => h.State));
        var final = job.History[^1];
        Assert.Equal(typeof(InvalidOperationException).FullName, final.ExceptionType);
        Assert.Equal("upstream said no", final.ExceptionMessage);
        Assert.Contains("ThrowFromDeepInside", final.ExceptionDetails);
        Assert.Contains(" at ", final.ExceptionDetails);
    }

    [Fact]
    public async Task Delete_RunningJob_CancelsItsTokenAndEndsDeleted()
    {
        var id = _engine.Client.Enqueue(TestJobRegistration.Block, new BlockArgs());
        await _log.StartedAsync(id);

        var change = _engine.Client.Delete(id);

        Assert.Equal(ChangeOutcome.Changed, change.Outcome);
        Assert.Equal(JobState.Processing, change.PreviousState);
        await Eventually.UntilAsync(() => _log.Cancellations.Contains(id.ToString()), what: "handler cancelled");
        var job = await WaitForStateAsync(id, JobState.Deleted);
        Assert.Equal(JobState.Deleted, job.History[^1].State);
        Assert.Empty(_engine.Get<JobServer.Engine.Processing.RunningJobs>().Ids);
    }

    [Fact]
    public async Task Requeue_FailedJob_RunsAgainWithFreshAttempts()
    {
        var id = _engine.Client.Enqueue(TestJobRegistration.Fail);
        await WaitForStateAsync(id, JobState.Failed);

        Assert.Equal(ChangeOutcome.Changed, _engine.Client.Requeue(id).Outcome);

        await Eventually.UntilAsync(() => _log.RunsOf(id) == 4, what: "two more attempts");
        var job = await WaitForStateAsync(id, JobState.Failed);
        Assert.Equal(2, job.Summary.Attempts);
    }

    [Fact]
    public async Task Requeue_ProcessingJob_IsRefused()
    {
        var id = _engine.Client.Enqueue(TestJobRegistration.Block, new BlockArgs());
        await _log.StartedAsync(id);

        var change = _engine.Client.Requeue(id);

        Assert.Equal(ChangeOutcome.NotAllowed, change.Outcome);
        Assert.Equal(JobState.Processing, change.PreviousState);
        _engine.Client.Delete(id);
    }

    [Fact]
    public async Task Stats_AfterJobsFinish_CountSucceededAndFailed()
    {
        var ok = _engine.Client.Enqueue(TestJobRegistration.Record);
        var bad = _engine.Client.Enqueue(TestJobRegistration.Fail);
        await WaitForStateAsync(ok, JobState.Succeeded);
        await WaitForStateAsync(bad, JobState.Failed);

        var stats = _engine.Reader.GetStats();

        Assert.Equal(1, stats.States[JobState.Succeeded]);
        Assert.Equal(1, stats.States[JobState.Failed]);
        Assert.Equal(0, stats.States[JobState.Enqueued]);
    }
}
