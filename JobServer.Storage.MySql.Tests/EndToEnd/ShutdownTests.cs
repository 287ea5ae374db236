using Hangfire;
using Hangfire.States;
using JobServer.Storage.MySql.Tests.Child;
using JobServer.Storage.MySql.Tests.Infrastructure;

namespace JobServer.Storage.MySql.Tests.EndToEnd;

public sealed class ShutdownTests(MySqlTestDatabase db) : IClassFixture<MySqlTestDatabase>
{
    private const int Jobs = 2;

    [Fact]
    public async Task Dispose_ServerWithJobsWaitingOnToken_JobsBackInQueueAndNextServerFinishesThem()
    {
        using var storage = EndToEndSetup.Prepare(db);
        var tables = new HangfireTables(db, storage);
        var tag = EndToEndSetup.NewTag("shutdown");
        var client = new BackgroundJobClient(storage);
        var ids = Enumerable.Range(0, Jobs)
            .Select(_ => client.Enqueue(() => E2EJobs.HoldFirstRun(db.ConnectionString, tag, null!, CancellationToken.None)))
            .ToList();

        var stopping = TestServers.Start(storage, workers: Jobs, o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        await Eventually.Until(() => ExecutionLog.Read(db.ConnectionString, tag).Count(e => e.Event == ExecutionLog.Started), n => n == Jobs, TimeSpan.FromSeconds(15), "both jobs started");
        stopping.SendStop();
        stopping.Dispose();

        var log = ExecutionLog.Read(db.ConnectionString, tag);
        Assert.Equal(Jobs, log.Count(e => e.Event == ExecutionLog.Cancelled));
        foreach (var id in ids)
        {
            // Given back at once, not after the invisibility timeout. Hangfire leaves the state as it was (Processing):
            // the unfetched queue row is what makes the job run again.
            Assert.Equal([true], tables.QueueRowsUnfetched(id));
            Assert.Equal(ProcessingState.StateName, tables.State(id));
        }

        using var next = db.CreateStorage();
        using (TestServers.Start(next, workers: Jobs))
        {
            await Eventually.Until(() => ids.Count(id => tables.State(id) == SucceededState.StateName), n => n == Jobs, TimeSpan.FromSeconds(15), "both jobs Succeeded on the next server");
        }
        log = ExecutionLog.Read(db.ConnectionString, tag);
        var claims = FetchAudit.ClaimsPerJob(db);
        foreach (var id in ids.Select(long.Parse))
        {
            Assert.Equal([ExecutionLog.Started, ExecutionLog.Cancelled, ExecutionLog.Started, ExecutionLog.Finished], log.Where(e => e.JobId == id).Select(e => e.Event));
            Assert.Equal(2, claims[id]);
        }
    }
}
