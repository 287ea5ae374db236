using Hangfire;
using Hangfire.States;
using JobServer.Storage.MySql.Maintenance;
using JobServer.Storage.MySql.Tests.Infrastructure;

namespace JobServer.Storage.MySql.Tests.Monitoring;

/// <summary>Our storage on the contract of <see cref="MonitoringApiTestsBase"/>, plus what only it has.</summary>
public sealed class MySqlMonitoringApiTests : MonitoringApiTestsBase, IClassFixture<MySqlTestDatabase>
{
    private readonly MySqlTestDatabase _db;

    public MySqlMonitoringApiTests(MySqlTestDatabase db) : base(CreateEmpty(db)) => _db = db;

    private static MySqlStorage CreateEmpty(MySqlTestDatabase db)
    {
        var storage = db.CreateStorage();
        db.Reset();
        return storage;
    }

    public override void Dispose()
    {
        ((MySqlStorage)Storage).Dispose();
        base.Dispose();
    }

    protected override void AssertFetchedWhileProcessing(string queue, string jobId)
    {
        var fetched = Assert.Single(Api.FetchedJobs(queue, 0, 10));
        Assert.Equal(jobId, fetched.Key);
        Assert.Equal(ProcessingState.StateName, fetched.Value.State);
        Assert.NotNull(fetched.Value.FetchedAt);
        Assert.Equal(nameof(MonitoringJobs.Block), fetched.Value.Job.Method.Name);
        Assert.Equal(1, Api.FetchedCount(queue));
        Assert.Equal(0, Api.EnqueuedCount(queue));
        var summary = Assert.Single(Api.Queues());
        Assert.Equal((0, 1L), (summary.Length, summary.Fetched!.Value));
    }

    [Fact]
    public void SucceededListCount_MoreJobsThanLimit_CountsUpToLimit()
    {
        for (var i = 0; i < 5; i++) Succeeded("s" + i);
        for (var i = 0; i < 4; i++) Deleted();
        using var capped = _db.CreateStorage(new MySqlStorageOptions { DashboardJobListLimit = 3 });
        using var exact = _db.CreateStorage(new MySqlStorageOptions { DashboardJobListLimit = null });

        Assert.Equal(3, capped.GetMonitoringApi().SucceededListCount());
        Assert.Equal(3, capped.GetMonitoringApi().DeletedListCount());
        Assert.Equal(5, exact.GetMonitoringApi().SucceededListCount());
        Assert.Equal(4, exact.GetMonitoringApi().DeletedListCount());
        // The totals come from counters, not from the capped lists.
        Assert.Equal(5, capped.GetMonitoringApi().GetStatistics().Succeeded);
        Assert.Equal(4, capped.GetMonitoringApi().GetStatistics().Deleted);
    }

    [Fact]
    public void GetStatistics_CountersPartlyAggregated_SumsRawAndAggregatedRows()
    {
        Succeeded("before");
        Deleted();
        new CountersAggregator((MySqlStorage)Storage).RunOnce();
        Succeeded("after");

        var stats = Api.GetStatistics();

        Assert.Equal(2, stats.Succeeded);
        Assert.Equal(1, stats.Deleted);
        Assert.Equal(2, Api.SucceededByDatesCount().Values.Sum());
        Assert.Equal(2, Api.HourlySucceededJobs().Values.Sum());
    }

    [Fact]
    public void EnqueuedJobs_JobRowGone_NullEntryKeepsItsPlace()
    {
        var kept = Client.Enqueue(() => MonitoringJobs.Noop());
        var gone = Client.Enqueue(() => MonitoringJobs.Noop());
        using (var connection = _db.Open())
            Dapper.SqlMapper.Execute(connection, "DELETE FROM hf_job WHERE id = @id", new { id = long.Parse(gone) });

        var list = Api.EnqueuedJobs("default", 0, 10);

        Assert.Equal([kept, gone], list.Select(j => j.Key));
        Assert.NotNull(list[0].Value);
        Assert.Null(list[1].Value);
    }

    [Fact]
    public void FailedJobs_InvocationDataDamaged_ListedWithLoadException()
    {
        var id = Failed("damaged");
        using (var connection = _db.Open())
            Dapper.SqlMapper.Execute(connection, "UPDATE hf_job SET invocation_data = 'not json' WHERE id = @id", new { id = long.Parse(id) });

        var listed = Assert.Single(Api.FailedJobs(0, 10)).Value;
        var details = Api.JobDetails(id);

        Assert.Null(listed.Job);
        Assert.NotNull(listed.LoadException);
        Assert.Equal("damaged", listed.ExceptionMessage);
        Assert.Null(details.Job);
        Assert.NotNull(details.LoadException);
        Assert.Equal(FailedState.StateName, details.History[0].StateName);
    }
}
