using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using JobServer.Storage.MySql.Monitoring;
using JobServer.Storage.MySql.Tests.Infrastructure;

namespace JobServer.Storage.MySql.Tests.Monitoring;

/// <summary><see cref="IJobListing"/>: job ids across states, newest first, with state, queue and type filters.</summary>
public sealed class JobListingTests : IClassFixture<MySqlTestDatabase>, IDisposable
{
    private readonly MySqlStorage _storage;
    private readonly BackgroundJobClient _client;

    public JobListingTests(MySqlTestDatabase db)
    {
        _storage = db.CreateStorage();
        db.Reset();
        _client = new BackgroundJobClient(_storage);
    }

    public void Dispose() => _storage.Dispose();

    private IJobListing Listing => (IJobListing)_storage.GetMonitoringApi();

    [Fact]
    public void ListJobIds_NoFilter_EveryStateNewestFirst_Paged()
    {
        var scheduled = _client.Schedule(() => MonitoringJobs.Noop(), TimeSpan.FromDays(1));
        var enqueued = _client.Create(() => MonitoringJobs.Noop(), new EnqueuedState("q1"));
        var deleted = _client.Schedule(() => MonitoringJobs.Noop(), TimeSpan.FromDays(1));
        _client.Delete(deleted);

        var all = Listing.ListJobIds(new JobListFilter(), 0, 10);
        var second = Listing.ListJobIds(new JobListFilter(), 1, 1);

        Assert.Equal([long.Parse(deleted), long.Parse(enqueued), long.Parse(scheduled)], all.Ids);
        Assert.Equal(3, all.Total);
        Assert.Equal([long.Parse(enqueued)], second.Ids);
        Assert.Equal(3, second.Total);
    }

    [Fact]
    public void ListJobIds_Filters_NarrowTogether()
    {
        var onQ1 = _client.Create(new Job(typeof(MonitoringJobs), typeof(MonitoringJobs).GetMethod(nameof(MonitoringJobs.Noop))!, (IReadOnlyList<object>)Array.Empty<object>(), "q1"), new EnqueuedState());
        var failing = _client.Create(new Job(typeof(MonitoringJobs), typeof(MonitoringJobs).GetMethod(nameof(MonitoringJobs.Fail))!, (IReadOnlyList<object>)new object[] { "x" }, "q1"), new ScheduledState(TimeSpan.FromDays(1)));
        var noQueue = _client.Schedule(() => MonitoringJobs.Noop(), TimeSpan.FromDays(1));
        var type = TypeHelper.CurrentTypeSerializer(typeof(MonitoringJobs));

        Assert.Equal([long.Parse(failing), long.Parse(onQ1)], Listing.ListJobIds(new JobListFilter(Queue: "q1"), 0, 10).Ids);
        Assert.Equal([long.Parse(noQueue)], Listing.ListJobIds(new JobListFilter(Queue: "default"), 0, 10).Ids);
        Assert.Equal([long.Parse(noQueue), long.Parse(failing)], Listing.ListJobIds(new JobListFilter(StateName: ScheduledState.StateName), 0, 10).Ids);
        var noops = Listing.ListJobIds(new JobListFilter(TypeName: type, MethodName: nameof(MonitoringJobs.Noop)), 0, 10);
        Assert.Equal([long.Parse(noQueue), long.Parse(onQ1)], noops.Ids);
        Assert.Equal(2, noops.Total);
        var one = Listing.ListJobIds(new JobListFilter(ScheduledState.StateName, "q1", type, nameof(MonitoringJobs.Fail)), 0, 10);
        Assert.Equal([long.Parse(failing)], one.Ids);
        Assert.Equal(1, one.Total);
    }
}
