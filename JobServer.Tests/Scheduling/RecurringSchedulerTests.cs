using Dapper;
using JobServer.Engine.Scheduling;
using JobServer.Engine.States;
using JobServer.Jobs.Builtin;
using JobServer.Storage;
using JobServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace JobServer.Tests.Scheduling;

/// <summary>The due-check, driven by a fake clock: every engine's scheduler is called directly, in parallel.</summary>
public sealed class RecurringSchedulerTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly DateTimeOffset Start = new(2030, 3, 1, 12, 0, 0, 500, TimeSpan.Zero);

    private TestEngine CreateEngine(ManualTimeProvider clock, int pool) =>
        TestEngine.Create(
            database.ConnectionString + $";Maximum Pool Size={50 + pool}",
            configure: s => s.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)));

    private List<(DateTime RunAt, long JobId)> RunsOf(string id)
    {
        using var connection = database.Open();
        return connection.Query<(DateTime, long)>("SELECT run_at, job_id FROM js_recurring_run WHERE recurring_id = @id ORDER BY run_at", new { id }).ToList();
    }

    [Fact]
    public async Task FireDue_ThreeServersEverySecondForTenSeconds_ExactlyOneJobPerOccurrence()
    {
        database.Reset();
        var clock = new ManualTimeProvider(Start);
        await using var a = CreateEngine(clock, 1);
        await using var b = CreateEngine(clock, 2);
        await using var c = CreateEngine(clock, 3);
        a.Get<IRecurringJobManager>().AddOrUpdate("tick", "* * * * * *", SleepJob.TypeName, new SleepArgs());
        var schedulers = new[] { a, b, c }.Select(e => e.Get<RecurringScheduler>()).ToList();

        for (var second = 1; second <= 10; second++)
        {
            clock.SetUtcNow(Start.AddSeconds(second));
            using var together = new Barrier(schedulers.Count);
            await Task.WhenAll(schedulers.Select(s => Task.Run(async () =>
            {
                together.SignalAndWait();
                await s.RunOnceAsync(CancellationToken.None);
            })));
        }

        var runs = RunsOf("tick");
        var expected = Enumerable.Range(1, 10).Select(s => new DateTime(2030, 3, 1, 12, 0, s, DateTimeKind.Utc)).ToList();
        Assert.Equal(expected, runs.Select(r => DateTime.SpecifyKind(r.RunAt, DateTimeKind.Utc)));
        Assert.Equal(10, runs.Select(r => r.JobId).Distinct().Count());
        Assert.Equal(10, a.Reader.ListJobs(new JobQuery(null, null, SleepJob.TypeName, 1, 100)).Total);
        var view = a.Get<IRecurringJobManager>().Get("tick")!;
        Assert.Equal(runs[^1].JobId, view.Info.LastJobId);
        Assert.Equal(new DateTime(2030, 3, 1, 12, 0, 11, DateTimeKind.Utc), view.Info.NextRunAt);
    }

    [Theory]
    [InlineData(MisfirePolicy.FireOnce, 1)]
    [InlineData(MisfirePolicy.Skip, 0)]
    public async Task FireDue_AllServersDownForTenOccurrences_MisfirePolicyDecides(MisfirePolicy misfire, int expectedJobs)
    {
        database.Reset();
        var clock = new ManualTimeProvider(Start);
        await using var engine = CreateEngine(clock, 4);
        engine.Get<IRecurringJobManager>().AddOrUpdate("minutely", "* * * * *", SleepJob.TypeName, new SleepArgs(), new RecurringJobOptions { Misfire = misfire });

        clock.SetUtcNow(Start.AddMinutes(10).AddSeconds(20));
        await engine.Get<RecurringScheduler>().RunOnceAsync(CancellationToken.None);
        await engine.Get<RecurringScheduler>().RunOnceAsync(CancellationToken.None);

        Assert.Equal(expectedJobs, RunsOf("minutely").Count);
        Assert.Equal(new DateTime(2030, 3, 1, 12, 11, 0, DateTimeKind.Utc), engine.Get<IRecurringJobManager>().Get("minutely")!.Info.NextRunAt);
    }

    [Fact]
    public async Task FireDue_SkipPolicySlightlyLate_StillFires()
    {
        database.Reset();
        var clock = new ManualTimeProvider(Start);
        await using var engine = CreateEngine(clock, 5);
        engine.Get<IRecurringJobManager>().AddOrUpdate("late", "* * * * *", SleepJob.TypeName, new SleepArgs(), new RecurringJobOptions { Misfire = MisfirePolicy.Skip });

        clock.SetUtcNow(Start.AddSeconds(59.5 + 30));
        await engine.Get<RecurringScheduler>().RunOnceAsync(CancellationToken.None);

        Assert.Single(RunsOf("late"));
    }

    [Fact]
    public async Task Pause_ThenResumeAfterMissedOccurrences_FiresNothingMissed()
    {
        database.Reset();
        var clock = new ManualTimeProvider(Start);
        await using var engine = CreateEngine(clock, 6);
        var manager = engine.Get<IRecurringJobManager>();
        manager.AddOrUpdate("paused", "* * * * * *", SleepJob.TypeName, new SleepArgs());
        manager.Pause("paused");

        clock.SetUtcNow(Start.AddSeconds(5));
        await engine.Get<RecurringScheduler>().RunOnceAsync(CancellationToken.None);
        Assert.Empty(RunsOf("paused"));

        manager.Resume("paused");
        await engine.Get<RecurringScheduler>().RunOnceAsync(CancellationToken.None);
        Assert.Empty(RunsOf("paused"));
        clock.SetUtcNow(Start.AddSeconds(6));
        await engine.Get<RecurringScheduler>().RunOnceAsync(CancellationToken.None);
        Assert.Single(RunsOf("paused"));
    }

    [Fact]
    public async Task AddOrUpdate_SameScheduleAgainAfterDowntime_KeepsTheDueOccurrence()
    {
        database.Reset();
        var clock = new ManualTimeProvider(Start);
        await using var engine = CreateEngine(clock, 7);
        var manager = engine.Get<IRecurringJobManager>();
        Assert.True(manager.AddOrUpdate("redefined", "0 * * * *", SleepJob.TypeName, new SleepArgs()));

        // A restart two hours later redefines the job from code before the first due-check.
        clock.SetUtcNow(Start.AddHours(2));
        Assert.False(manager.AddOrUpdate("redefined", "0 * * * *", SleepJob.TypeName, new SleepArgs { Ms = 5 }));
        await engine.Get<RecurringScheduler>().RunOnceAsync(CancellationToken.None);

        var run = Assert.Single(RunsOf("redefined"));
        Assert.Equal("""{"ms":5}""", engine.Reader.GetJob(run.JobId)!.ArgsJson);
    }

    [Fact]
    public async Task FireDue_RejectingTypeWithKeyHeld_SkipsOccurrenceAndMovesOn()
    {
        database.Reset();
        var clock = new ManualTimeProvider(Start);
        await using var engine = TestEngine.Create(
            database.ConnectionString + ";Maximum Pool Size=58",
            configure: s => s.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)).AddTestJobs(new ExecutionLog()));
        var holder = engine.Client.Schedule(TestJobRegistration.KeyedReject, new KeyedArgs { Key = "nightly" }, TimeSpan.FromDays(1));
        engine.Get<IRecurringJobManager>().AddOrUpdate("keyed", "* * * * * *", TestJobRegistration.KeyedReject, new KeyedArgs { Key = "nightly" });

        clock.SetUtcNow(Start.AddSeconds(1));
        var done = await engine.Get<RecurringScheduler>().RunOnceAsync(CancellationToken.None);

        Assert.Equal(1, done);
        Assert.Empty(RunsOf("keyed"));
        Assert.Equal(new DateTime(2030, 3, 1, 12, 0, 2, DateTimeKind.Utc), engine.Get<IRecurringJobManager>().Get("keyed")!.Info.NextRunAt);
        Assert.Equal(JobState.Scheduled, engine.Reader.GetJob(holder)!.Summary.State);
    }
}
