using JobServer.Engine.States;
using JobServer.Storage;
using JobServer.Storage.MySql;
using JobServer.Tests.Infrastructure;

namespace JobServer.Tests.Storage;

/// <summary>The read models the dashboard stands on: keyset pages, hourly and all-time counters, queue ages.</summary>
public sealed class DashboardReadModelTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly DateTime Now = new(2030, 5, 1, 10, 30, 0, DateTimeKind.Utc);

    private (MySqlJobWriter Writer, MySqlJobQueue Queue, MySqlJobReader Reader, MySqlMaintenanceStore Maintenance) CreateSut()
    {
        database.Reset();
        var db = database.CreateDb();
        return (new MySqlJobWriter(db), new MySqlJobQueue(db), new MySqlJobReader(db), new MySqlMaintenanceStore(db));
    }

    [Fact]
    public void ListJobsBefore_PagesThroughOneStateNewestFirst()
    {
        var (writer, queue, reader, _) = CreateSut();
        var ids = Enumerable.Range(0, 7).Select(i => writer.Create(new NewJob("sleep", i % 2 == 0 ? "even" : "odd", "{}"), Now).Id).ToList();
        foreach (var job in queue.Claim("even", "s1", 10, Now))
        {
            queue.SetSucceededIfClaimed(job, "s1", null, Now, Now.AddDays(1));
        }

        var first = reader.ListJobsBefore(JobState.Enqueued, null, null, null, 2);
        var second = reader.ListJobsBefore(JobState.Enqueued, null, null, first.NextBeforeId, 2);

        Assert.Equal([ids[5], ids[3]], first.Items.Select(j => j.Id));
        Assert.Equal([ids[1]], second.Items.Select(j => j.Id));
        Assert.Null(second.NextBeforeId);
        Assert.Equal([ids[6], ids[4], ids[2], ids[0]], reader.ListJobsBefore(JobState.Succeeded, "even", "sleep", null, 10).Items.Select(j => j.Id));
        Assert.Empty(reader.ListJobsBefore(JobState.Succeeded, "odd", null, null, 10).Items);
    }

    [Fact]
    public void HourlyCountsAndTotals_CountOutcomesPerHour_AndTotalsSurviveExpiry()
    {
        var (writer, queue, reader, maintenance) = CreateSut();
        for (var i = 0; i < 3; i++)
        {
            writer.Create(new NewJob("sleep", "default", "{}"), Now);
        }

        var claimed = queue.Claim("default", "s1", 3, Now);
        queue.SetSucceededIfClaimed(claimed[0], "s1", null, Now.AddHours(-2), Now.AddMinutes(1));
        queue.SetSucceededIfClaimed(claimed[1], "s1", null, Now, Now.AddMinutes(1));
        queue.SetFailedIfClaimed(claimed[2], "s1", new JobFailure("E", "m", "d"), "failed", Now);

        var hours = reader.GetHourlyCounts(Now.AddHours(-2), 3);
        Assert.Equal([(1L, 0L), (0L, 0L), (1L, 1L)], hours.Select(h => (h.Succeeded, h.Failed)));
        Assert.Equal(new DateTime(2030, 5, 1, 8, 0, 0, DateTimeKind.Utc), hours[0].Hour);

        maintenance.ExpireJobs(Now.AddMinutes(2), 100);
        maintenance.AggregateCounters(100);
        var stats = reader.GetStats();
        Assert.Equal(0, stats.States[JobState.Succeeded]);
        Assert.Equal(2, stats.Totals[JobState.Succeeded]);
        Assert.Equal(1, stats.Totals[JobState.Failed]);

        maintenance.ExpireHourlyCounters(Now.AddHours(-1));
        Assert.Equal([0L, 0L, 1L], reader.GetHourlyCounts(Now.AddHours(-2), 3).Select(h => h.Succeeded));
    }

    [Fact]
    public void GetQueues_OldestWaitingJob_IsTheEarliestUnclaimed()
    {
        var (writer, queue, reader, _) = CreateSut();
        writer.Create(new NewJob("sleep", "reports", "{}"), Now.AddMinutes(-10));
        writer.Create(new NewJob("sleep", "reports", "{}"), Now.AddMinutes(-5));
        writer.Create(new NewJob("sleep", "mail", "{}"), Now.AddMinutes(-1));
        queue.Claim("mail", "s1", 1, Now);

        var queues = reader.GetQueues().ToDictionary(q => q.Name);

        Assert.Equal(Now.AddMinutes(-10), queues["reports"].OldestWaitingSince);
        Assert.Equal(2, queues["reports"].Counts.Enqueued);
        Assert.Null(queues["mail"].OldestWaitingSince);
        Assert.Equal(1, queues["mail"].Counts.Processing);
    }
}
