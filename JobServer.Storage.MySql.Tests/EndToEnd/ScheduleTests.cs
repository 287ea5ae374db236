using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using JobServer.Storage.MySql.Tests.Child;
using JobServer.Storage.MySql.Tests.Infrastructure;

namespace JobServer.Storage.MySql.Tests.EndToEnd;

public sealed class ScheduleTests(MySqlTestDatabase db) : IClassFixture<MySqlTestDatabase>
{
    private static readonly TimeSpan PollingInterval = TimeSpan.FromMilliseconds(200);

    [Fact]
    public async Task Schedule_TwoSecondsAhead_RunsOnTimeNotBefore()
    {
        using var storage = EndToEndSetup.Prepare(db);
        var tables = new HangfireTables(db, storage);
        var tag = EndToEndSetup.NewTag("schedule");
        using var server = TestServers.Start(storage, configure: o => o.SchedulePollingInterval = PollingInterval);

        var id = new BackgroundJobClient(storage).Schedule(() => E2EJobs.Record(db.ConnectionString, tag, null!), TimeSpan.FromSeconds(2));
        var scheduled = tables.StateData(id);
        Assert.Equal(ScheduledState.StateName, scheduled?.Name);
        var enqueueAt = JobHelper.DeserializeDateTime(scheduled!.Data["EnqueueAt"]);

        await Eventually.Until(() => tables.State(id), s => s == SucceededState.StateName, TimeSpan.FromSeconds(15), $"job {id} Succeeded");

        var started = ExecutionLog.Read(db.ConnectionString, tag).Single(e => e.Event == ExecutionLog.Started).At;
        // Hangfire keeps schedule scores in whole Unix seconds (JobHelper.ToTimestamp truncates), so "on time" means
        // from the start of EnqueueAt's second; then within one polling interval plus the time to fetch and start.
        var earliest = new DateTime(enqueueAt.Ticks - enqueueAt.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
        Assert.True(started >= earliest, $"Started {started:O}, before its schedule {enqueueAt:O} (second {earliest:O}).");
        var latest = enqueueAt + PollingInterval + TimeSpan.FromSeconds(1.5);
        Assert.True(started <= latest, $"Started {started:O}, later than {latest:O} (scheduled {enqueueAt:O}).");
        Assert.Equal([ScheduledState.StateName, EnqueuedState.StateName, ProcessingState.StateName, SucceededState.StateName], tables.History(id));
    }
}
