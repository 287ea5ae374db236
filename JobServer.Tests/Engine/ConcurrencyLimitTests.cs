using JobServer.Engine.States;
using JobServer.Storage;
using JobServer.Tests.Infrastructure;

namespace JobServer.Tests.Engine;

/// <summary>Concurrency limits by key, with two engines (separate pools) on one database.</summary>
public sealed class ConcurrencyLimitTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private readonly ExecutionLog _log = new();
    private TestEngine _first = null!;
    private TestEngine _second = null!;

    public async Task InitializeAsync()
    {
        database.Reset();
        _first = await TestEngine.Create(database.ConnectionString + ";Maximum Pool Size=31", configure: s => s.AddTestJobs(_log)).StartAsync();
        _second = await TestEngine.Create(database.ConnectionString + ";Maximum Pool Size=32", configure: s => s.AddTestJobs(_log)).StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
    }

    private Task<JobDetails> WaitForStateAsync(long id, JobState state) =>
        Eventually.UntilAsync(() => _first.Reader.GetJob(id)!, j => j.Summary.State == state, TimeSpan.FromSeconds(20), $"job {id} to be {state}");

    private long CreateKeyed(TestEngine engine, string key, KeyedArgs? args = null, TimeSpan? delay = null) =>
        delay is { } d
            ? engine.Client.Schedule(TestJobRegistration.KeyedReject, args ?? new KeyedArgs { Key = key }, d)
            : engine.Client.Enqueue(TestJobRegistration.KeyedReject, args ?? new KeyedArgs { Key = key });

    [Fact]
    public async Task Reject_SameKeyFromTwoServersAtOnce_ExactlyOneAccepted()
    {
        for (var round = 0; round < 15; round++)
        {
            var key = $"race-{round}";
            using var start = new Barrier(2);
            var attempts = new[] { _first, _second }.Select(engine => Task.Run(() =>
            {
                start.SignalAndWait();
                try
                {
                    return (Id: (long?)CreateKeyed(engine, key, new KeyedArgs { Key = key, SleepMs = 200 }), Refused: (ConcurrencyLimitReachedException?)null);
                }
                catch (ConcurrencyLimitReachedException ex)
                {
                    return (Id: null, Refused: ex);
                }
            })).ToList();
            var outcomes = await Task.WhenAll(attempts);

            var accepted = Assert.Single(outcomes, o => o.Id is not null);
            var refused = Assert.Single(outcomes, o => o.Refused is not null);
            Assert.Equal([accepted.Id!.Value], refused.Refused!.Holders);
        }
    }

    [Fact]
    public async Task Reject_AfterSuccess_KeyIsFreeAgain()
    {
        // The holder sleeps so it cannot finish (and free the key) before the second create.
        var id = CreateKeyed(_first, "ok", new KeyedArgs { Key = "ok", SleepMs = 500 });
        Assert.Throws<ConcurrencyLimitReachedException>(() => CreateKeyed(_second, "ok"));
        await WaitForStateAsync(id, JobState.Succeeded);

        var again = CreateKeyed(_second, "ok");
        await WaitForStateAsync(again, JobState.Succeeded);
    }

    [Fact]
    public async Task Reject_HeldThroughRetries_FreeAfterFinalFailure()
    {
        var id = CreateKeyed(_first, "bad", new KeyedArgs { Key = "bad", Fail = true });
        await Eventually.UntilAsync(() => _log.RunsOf(id) >= 1, what: "first attempt");
        Assert.Throws<ConcurrencyLimitReachedException>(() => CreateKeyed(_second, "bad"));

        var failed = await WaitForStateAsync(id, JobState.Failed);

        Assert.Equal(2, failed.Summary.Attempts);
        var again = CreateKeyed(_second, "bad");
        await WaitForStateAsync(again, JobState.Succeeded);
    }

    [Fact]
    public void Reject_ScheduledJobHoldsKey_DeletionReleasesIt()
    {
        var scheduled = CreateKeyed(_first, "later", delay: TimeSpan.FromHours(1));
        var refused = Assert.Throws<ConcurrencyLimitReachedException>(() => CreateKeyed(_second, "later"));
        Assert.Equal([scheduled], refused.Holders);

        _second.Client.Delete(scheduled);

        var again = CreateKeyed(_second, "later", delay: TimeSpan.FromHours(1));
        Assert.NotEqual(scheduled, again);
        _second.Client.Delete(again);
    }

    [Fact]
    public void Reject_OtherKeys_AreUnaffected()
    {
        var a = CreateKeyed(_first, "a", delay: TimeSpan.FromHours(1));
        var b = CreateKeyed(_first, "b", delay: TimeSpan.FromHours(1));

        Assert.NotEqual(a, b);
        _first.Client.Delete(a);
        _first.Client.Delete(b);
    }

    [Fact]
    public void Requeue_FinishedJobWhileKeyIsHeld_IsRefused()
    {
        var first = CreateKeyed(_first, "rq", delay: TimeSpan.FromHours(1));
        _first.Client.Delete(first);
        var holder = CreateKeyed(_first, "rq", delay: TimeSpan.FromHours(1));

        var refused = Assert.Throws<ConcurrencyLimitReachedException>(() => _second.Client.Requeue(first));

        Assert.Equal([holder], refused.Holders);
        Assert.Equal(JobState.Deleted, _first.Reader.GetJob(first)!.Summary.State);
        _first.Client.Delete(holder);
    }

    [Fact]
    public async Task Wait_FiveJobsSameKeyFromTwoServers_RunOneAtATimeInOrderAndNoneFails()
    {
        var ids = Enumerable.Range(0, 5)
            .Select(i => (i % 2 == 0 ? _first : _second).Client.Enqueue(TestJobRegistration.KeyedWait, new KeyedArgs { Key = "serial", SleepMs = 100 }))
            .ToList();

        Assert.Equal(JobState.Awaiting, _first.Reader.GetJob(ids[^1])!.Summary.State);
        var jobs = new List<JobDetails>();
        foreach (var id in ids)
        {
            jobs.Add(await WaitForStateAsync(id, JobState.Succeeded));
        }

        Assert.Equal(1, _log.MaxInFlight("serial"));
        Assert.All(jobs, j => Assert.Equal(1, j.Summary.Attempts));
        var starts = jobs.Select(j => j.Summary.StartedAt!.Value).ToList();
        Assert.Equal(starts.Order(), starts);
        for (var i = 1; i < jobs.Count; i++)
        {
            Assert.True(jobs[i].Summary.StartedAt >= jobs[i - 1].Summary.FinishedAt, $"job {ids[i]} started before job {ids[i - 1]} finished");
            Assert.Contains(jobs[i].History, h => h.Reason == $"Concurrency key '{TestJobRegistration.KeyedWait}:serial' released by job {ids[i - 1]}");
        }
    }

    [Fact]
    public async Task Wait_AwaitingJobDeleted_LeavesTheLineAndOthersStillRun()
    {
        var holder = _first.Client.Enqueue(TestJobRegistration.KeyedWait, new KeyedArgs { Key = "line", SleepMs = 300 });
        var dropped = _first.Client.Enqueue(TestJobRegistration.KeyedWait, new KeyedArgs { Key = "line" });
        var last = _second.Client.Enqueue(TestJobRegistration.KeyedWait, new KeyedArgs { Key = "line" });

        Assert.Equal(JobState.Awaiting, _first.Reader.GetJob(dropped)!.Summary.State);
        _second.Client.Delete(dropped);

        await WaitForStateAsync(last, JobState.Succeeded);
        Assert.Equal(JobState.Succeeded, _first.Reader.GetJob(holder)!.Summary.State);
        Assert.Equal(JobState.Deleted, _first.Reader.GetJob(dropped)!.Summary.State);
        Assert.Equal(0, _log.RunsOf(dropped));
        Assert.Equal(0, _first.Reader.GetStats().States[JobState.Awaiting]);
    }
}
