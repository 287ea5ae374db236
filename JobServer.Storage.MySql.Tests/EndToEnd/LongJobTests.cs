using Hangfire;
using Hangfire.States;
using JobServer.Storage.MySql.Tests.Child;
using JobServer.Storage.MySql.Tests.Infrastructure;

namespace JobServer.Storage.MySql.Tests.EndToEnd;

public sealed class LongJobTests(MySqlTestDatabase db) : IClassFixture<MySqlTestDatabase>
{
    private static readonly TimeSpan InvisibilityTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan KeepAliveInterval = TimeSpan.FromMilliseconds(500);
    private const int JobMilliseconds = 12_000;

    [Fact]
    public async Task Perform_JobLongerThanTwiceTheInvisibilityTimeout_RunsOnceOnTwoServers()
    {
        using var first = EndToEndSetup.Prepare(db, TestServers.FastRecovery(InvisibilityTimeout, KeepAliveInterval));
        using var second = db.CreateStorage(TestServers.FastRecovery(InvisibilityTimeout, KeepAliveInterval));
        var tables = new HangfireTables(db, first);
        var tag = EndToEndSetup.NewTag("long");
        // AbandonedJobRecovery runs in both servers (storage-wide) every KeepAliveInterval and gives back any row whose
        // keep-alive is InvisibilityTimeout old; an idle worker on either server would take the job if it leaked.
        // Hangfire's watchdog keeps its default timeout: this test is about the keep-alive, not about dead servers.
        using var serverA = TestServers.Start(first);
        using var serverB = TestServers.Start(second);

        var id = new BackgroundJobClient(first).Enqueue(() => E2EJobs.Sleep(db.ConnectionString, tag, JobMilliseconds, null!, CancellationToken.None));
        var jobId = long.Parse(id);
        await Eventually.Until(
            () => (State: tables.State(id), Claims: FetchAudit.ClaimsPerJob(db).GetValueOrDefault(jobId)),
            s => s.State == SucceededState.StateName || s.Claims > 1,
            TimeSpan.FromMilliseconds(JobMilliseconds) + TimeSpan.FromSeconds(15), $"job {id} Succeeded or claimed again");

        Assert.Equal(1, FetchAudit.ClaimsPerJob(db)[jobId]);

        var log = ExecutionLog.Read(db.ConnectionString, tag);
        Assert.Equal([ExecutionLog.Started, ExecutionLog.Finished], log.Select(e => e.Event));
        Assert.True(log[1].At - log[0].At >= TimeSpan.FromMilliseconds(JobMilliseconds), "The job did not run its full length.");
        Assert.Equal([EnqueuedState.StateName, ProcessingState.StateName, SucceededState.StateName], tables.History(id));
    }
}
