using Hangfire;
using Hangfire.States;
using JobServer.Storage.MySql.Tests.Child;
using JobServer.Storage.MySql.Tests.Infrastructure;

namespace JobServer.Storage.MySql.Tests.EndToEnd;

public sealed class LongJobTests(MySqlTestDatabase db) : IClassFixture<MySqlTestDatabase>
{
    private static readonly TimeSpan InvisibilityTimeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan KeepAliveInterval = TimeSpan.FromMilliseconds(500);
    private const int JobMilliseconds = 9_000;

    [Fact]
    public async Task Perform_JobThreeTimesLongerThanInvisibilityTimeout_RunsOnceOnTwoServers()
    {
        var options = TestServers.FastRecovery(InvisibilityTimeout, KeepAliveInterval);
        using var first = EndToEndSetup.Prepare(db, options);
        using var second = db.CreateStorage(TestServers.FastRecovery(InvisibilityTimeout, KeepAliveInterval));
        var tables = new HangfireTables(db, first);
        var tag = EndToEndSetup.NewTag("long");
        // Both recovery paths are live: AbandonedJobRecovery (storage-wide, every KeepAliveInterval in each server)
        // and a watchdog with a short ServerTimeout; idle workers on both servers would take the job if it leaked.
        void Fast(BackgroundJobServerOptions o)
        {
            o.ServerTimeout = TimeSpan.FromSeconds(3);
            o.ServerCheckInterval = TimeSpan.FromSeconds(1);
        }
        using var serverA = TestServers.Start(first, configure: Fast);
        using var serverB = TestServers.Start(second, configure: Fast);

        var id = new BackgroundJobClient(first).Enqueue(() => E2EJobs.Sleep(db.ConnectionString, tag, JobMilliseconds, null!, CancellationToken.None));
        await Eventually.Until(() => tables.State(id), s => s == SucceededState.StateName, TimeSpan.FromMilliseconds(JobMilliseconds) + TimeSpan.FromSeconds(15), $"job {id} Succeeded");

        var log = ExecutionLog.Read(db.ConnectionString, tag);
        Assert.Equal([ExecutionLog.Started, ExecutionLog.Finished], log.Select(e => e.Event));
        Assert.True(log[1].At - log[0].At >= TimeSpan.FromMilliseconds(JobMilliseconds), "The job did not run its full length.");
        Assert.Equal(1, FetchAudit.ClaimsPerJob(db)[long.Parse(id)]);
        Assert.Equal([EnqueuedState.StateName, ProcessingState.StateName, SucceededState.StateName], tables.History(id));
    }
}
