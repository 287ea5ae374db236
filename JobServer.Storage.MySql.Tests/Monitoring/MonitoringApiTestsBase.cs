using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Hangfire.Storage;

namespace JobServer.Storage.MySql.Tests.Monitoring;

/// <summary>
/// The monitoring contract, written once and run on Hangfire.InMemory (the reference) and on our storage. Every
/// scenario produces its data through Hangfire itself (client, state changer, a real server), so both storages see
/// the same calls; where they must differ (fetched jobs exist only in ours) a subclass says how.
/// </summary>
public abstract partial class MonitoringApiTestsBase : IDisposable
{
    protected MonitoringApiTestsBase(JobStorage storage)
    {
        Storage = storage;
        Client = new BackgroundJobClient(storage);
    }

    protected JobStorage Storage { get; }

    protected BackgroundJobClient Client { get; }

    protected JobStorageMonitor Api => (JobStorageMonitor)Storage.GetMonitoringApi();

    public virtual void Dispose() => GC.SuppressFinalize(this);

    /// <summary>What FetchedJobs/FetchedCount report for the job a server is running.</summary>
    protected abstract void AssertFetchedWhileProcessing(string queue, string jobId);

    /// <summary>A job parked in the far future: it can be moved to any state without leaving a queue row behind.</summary>
    protected string Parked(System.Linq.Expressions.Expression<Action> job) => Client.Schedule(job, TimeSpan.FromDays(1));

    protected string Succeeded(string result)
    {
        var id = Parked(() => MonitoringJobs.Succeed(result));
        Assert.True(Client.ChangeState(id, new SucceededState(result, 10, 20), ScheduledState.StateName));
        return id;
    }

    protected string Failed(string message)
    {
        var id = Parked(() => MonitoringJobs.Fail(message));
        Assert.True(Client.ChangeState(id, new FailedState(new InvalidOperationException(message)) { Reason = "failed by test" }, ScheduledState.StateName));
        return id;
    }

    protected string Deleted()
    {
        var id = Parked(() => MonitoringJobs.Noop());
        Assert.True(Client.Delete(id));
        return id;
    }

    [Fact]
    public void GetStatistics_EmptyStorage_AllZero()
    {
        var stats = Api.GetStatistics();

        Assert.Equal(0, stats.Enqueued + stats.Scheduled + stats.Processing + stats.Failed + stats.Succeeded + stats.Deleted);
        Assert.Equal(0, stats.Awaiting);
        Assert.Equal(0, stats.Retries);
        Assert.Equal(0, stats.Recurring);
        Assert.Equal(0, stats.Servers);
        Assert.Equal(0, stats.Queues);
    }

    [Fact]
    public void GetStatistics_JobsInEveryState_CountsEachStateAndCounter()
    {
        for (var i = 0; i < 3; i++) Client.Enqueue(() => MonitoringJobs.Noop());
        var parent = Parked(() => MonitoringJobs.Noop());
        Parked(() => MonitoringJobs.Noop());
        Client.ContinueJobWith(parent, () => MonitoringJobs.Noop());
        Succeeded("a");
        Succeeded("b");
        Failed("boom");
        Deleted();
        var retried = Parked(() => MonitoringJobs.FailAndRetry("again"));
        Client.ChangeState(retried, new FailedState(new InvalidOperationException("again")), ScheduledState.StateName);
        var recurring = new RecurringJobManager(Storage);
        recurring.AddOrUpdate("monitoring-daily", () => MonitoringJobs.Noop(), Cron.Daily());
        recurring.AddOrUpdate("monitoring-hourly", () => MonitoringJobs.Noop(), Cron.Hourly());

        var stats = Api.GetStatistics();

        Assert.Equal(3, stats.Enqueued);
        Assert.Equal(3, stats.Scheduled); // parent, the other parked job, the retried one
        Assert.Equal(0, stats.Processing);
        Assert.Equal(1, stats.Failed);
        Assert.Equal(2, stats.Succeeded);
        Assert.Equal(1, stats.Deleted);
        Assert.Equal(1, stats.Awaiting);
        Assert.Equal(1, stats.Retries);
        Assert.Equal(2, stats.Recurring);
        Assert.Equal(1, stats.Queues);
        Assert.Equal(0, stats.Servers);
        Assert.Equal(3, Api.ScheduledCount());
        Assert.Equal(1, Api.FailedCount());
        Assert.Equal(0, Api.ProcessingCount());
        Assert.Equal(2, Api.SucceededListCount());
        Assert.Equal(1, Api.DeletedListCount());
        Assert.Equal(1, Api.AwaitingCount());
    }

    [Fact]
    public void EnqueuedJobs_Queue_ListsQueueOrderWithEnqueuedState()
    {
        var ids = Enumerable.Range(0, 3).Select(_ => Client.Enqueue(() => MonitoringJobs.Noop())).ToList();
        Client.Create(Job.FromExpression(() => MonitoringJobs.Noop()), new EnqueuedState("critical"));

        var all = Api.EnqueuedJobs("default", 0, 10);
        var page = Api.EnqueuedJobs("default", 1, 1);

        Assert.Equal(ids, all.Select(j => j.Key));
        Assert.All(all, j =>
        {
            Assert.True(j.Value.InEnqueuedState);
            Assert.Equal(EnqueuedState.StateName, j.Value.State);
            Assert.Equal(nameof(MonitoringJobs.Noop), j.Value.Job.Method.Name);
            Assert.NotNull(j.Value.EnqueuedAt);
            Assert.Null(j.Value.LoadException);
        });
        Assert.Equal([ids[1]], page.Select(j => j.Key));
        Assert.Equal(3, Api.EnqueuedCount("default"));
        Assert.Equal(1, Api.EnqueuedCount("critical"));
        Assert.Equal(0, Api.EnqueuedCount("nothing-here"));
        Assert.Empty(Api.EnqueuedJobs("nothing-here", 0, 10));
    }

    [Fact]
    public void Queues_TwoQueues_OrderedByNameWithLengthAndTopFive()
    {
        var defaults = Enumerable.Range(0, 7).Select(_ => Client.Enqueue(() => MonitoringJobs.Noop())).ToList();
        var critical = Client.Create(Job.FromExpression(() => MonitoringJobs.Noop()), new EnqueuedState("critical"));

        var queues = Api.Queues();

        Assert.Equal(["critical", "default"], queues.Select(q => q.Name));
        Assert.Equal(1, queues[0].Length);
        Assert.Equal([critical], queues[0].FirstJobs.Select(j => j.Key));
        Assert.Equal(7, queues[1].Length);
        Assert.Equal(defaults.Take(5), queues[1].FirstJobs.Select(j => j.Key));
        Assert.All(queues[1].FirstJobs, j => Assert.True(j.Value.InEnqueuedState));
    }

    [Fact]
    public void ScheduledJobs_ThreeScheduled_OldestFirstWithEnqueueAt()
    {
        var before = DateTime.UtcNow;
        var ids = new[] { 1, 2, 3 }.Select(h => Client.Schedule(() => MonitoringJobs.Noop(), TimeSpan.FromHours(h))).ToList();

        var list = Api.ScheduledJobs(0, 10);

        Assert.Equal(ids, list.Select(j => j.Key));
        for (var i = 0; i < 3; i++)
        {
            var dto = list[i].Value;
            Assert.True(dto.InScheduledState);
            Assert.InRange(dto.EnqueueAt, before.AddHours(i + 1).AddSeconds(-1), DateTime.UtcNow.AddHours(i + 1).AddSeconds(1));
            Assert.NotNull(dto.ScheduledAt);
        }
        Assert.Equal([ids[2]], Api.ScheduledJobs(2, 5).Select(j => j.Key));
    }

    [Fact]
    public void SucceededJobs_ThreeSucceeded_NewestFirstWithResultAndDuration()
    {
        var ids = new[] { "r1", "r2", "r3" }.Select(Succeeded).ToList();

        var list = Api.SucceededJobs(0, 10);

        Assert.Equal(ids.AsEnumerable().Reverse(), list.Select(j => j.Key));
        Assert.All(list, j =>
        {
            Assert.True(j.Value.InSucceededState);
            Assert.Equal(30, j.Value.TotalDuration);
            Assert.NotNull(j.Value.SucceededAt);
        });
        Assert.Equal("\"r3\"", list[0].Value.Result);
        Assert.Equal([ids[1]], Api.SucceededJobs(1, 1).Select(j => j.Key));
        Assert.Equal(3, Api.SucceededListCount());
    }

    [Fact]
    public void FailedJobs_TwoFailed_NewestFirstWithException()
    {
        var first = Failed("first failure");
        var second = Failed("second failure");

        var list = Api.FailedJobs(0, 10);

        Assert.Equal([second, first], list.Select(j => j.Key));
        var dto = list[0].Value;
        Assert.True(dto.InFailedState);
        Assert.Equal(typeof(InvalidOperationException).FullName, dto.ExceptionType);
        Assert.Equal("second failure", dto.ExceptionMessage);
        Assert.Contains("second failure", dto.ExceptionDetails);
        Assert.Equal("failed by test", dto.Reason);
        Assert.NotNull(dto.FailedAt);
        Assert.Equal(2, Api.FailedCount());
    }

    [Fact]
    public void DeletedJobs_TwoDeleted_NewestFirst()
    {
        var first = Deleted();
        var second = Deleted();

        var list = Api.DeletedJobs(0, 10);

        Assert.Equal([second, first], list.Select(j => j.Key));
        Assert.All(list, j => Assert.True(j.Value.InDeletedState));
        Assert.All(list, j => Assert.NotNull(j.Value.DeletedAt));
        Assert.Equal(2, Api.DeletedListCount());
    }

    [Fact]
    public void AwaitingJobs_ContinuationOfScheduledJob_ListsParentState()
    {
        var parent = Parked(() => MonitoringJobs.Noop());
        var first = Client.ContinueJobWith(parent, () => MonitoringJobs.Noop());
        var second = Client.ContinueJobWith(parent, () => MonitoringJobs.Noop());

        var list = Api.AwaitingJobs(0, 10);

        Assert.Equal([first, second], list.Select(j => j.Key));
        Assert.All(list, j =>
        {
            Assert.True(j.Value.InAwaitingState);
            Assert.Equal(ScheduledState.StateName, j.Value.ParentStateName);
            Assert.NotNull(j.Value.AwaitingAt);
        });
        Assert.Equal(2, Api.AwaitingCount());
    }

    [Fact]
    public void JobDetails_FailedJob_HistoryNewestFirstAndParameters()
    {
        var id = Failed("details failure");

        var details = Api.JobDetails(id);

        Assert.Equal(nameof(MonitoringJobs.Fail), details.Job.Method.Name);
        Assert.Equal(["details failure"], details.Job.Args);
        Assert.NotNull(details.CreatedAt);
        Assert.Null(details.ExpireAt); // a failed job waits for a decision; only final states expire
        Assert.NotNull(Api.JobDetails(Succeeded("expiring")).ExpireAt);
        Assert.Contains("CurrentCulture", details.Properties.Keys);
        Assert.Equal([FailedState.StateName, ScheduledState.StateName], details.History.Select(h => h.StateName));
        Assert.Equal("details failure", details.History[0].Data["ExceptionMessage"]);
        Assert.Equal("failed by test", details.History[0].Reason);
        Assert.True(details.History[0].CreatedAt >= details.History[1].CreatedAt);
    }

    [Fact]
    public void JobDetails_UnknownOrMalformedId_Null()
    {
        Assert.Null(Api.JobDetails("987654321"));
        Assert.Null(Api.JobDetails("not-an-id"));
    }
}
