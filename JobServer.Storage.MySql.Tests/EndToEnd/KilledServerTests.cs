using Dapper;
using Hangfire;
using Hangfire.States;
using JobServer.Storage.MySql.Tests.Child;
using JobServer.Storage.MySql.Tests.Infrastructure;
using Xunit.Abstractions;

namespace JobServer.Storage.MySql.Tests.EndToEnd;

public sealed class KilledServerTests(MySqlTestDatabase db, ITestOutputHelper output) : IClassFixture<MySqlTestDatabase>
{
    private static readonly TimeSpan InvisibilityTimeout = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(1);
    private const int ChildWorkers = 2;
    private const int JobCount = 4;

    [Fact]
    public async Task Kill_ChildServerHoldingJobs_SurvivorRunsItsJobsAgainWithinInvisibilityTimeout()
    {
        // Created first: recovery acts only once its storage has been connected for a whole invisibility timeout.
        using var storage = EndToEndSetup.Prepare(db, TestServers.FastRecovery(InvisibilityTimeout, KeepAliveInterval));
        var tables = new HangfireTables(db, storage);
        var tag = EndToEndSetup.NewTag("killed");
        var client = new BackgroundJobClient(storage);
        var ids = Enumerable.Range(0, JobCount)
            .Select(_ => client.Enqueue(() => E2EJobs.HoldInChildProcess(db.ConnectionString, tag, null!, CancellationToken.None)))
            .ToList();

        using var child = await ChildServerProcess.StartAsync(db.ConnectionString,
            new ChildArguments(ChildWorkers, InvisibilityTimeout, KeepAliveInterval, TimeSpan.FromSeconds(1), ["default"]),
            TimeSpan.FromSeconds(30));
        var held = await Eventually.Until(
            () => ExecutionLog.Read(db.ConnectionString, tag).Where(e => e.Pid == child.Pid && e.Event == ExecutionLog.Started).Select(e => e.JobId).ToList(),
            jobs => jobs.Count == ChildWorkers, TimeSpan.FromSeconds(20), $"the child's {ChildWorkers} workers hold a job each");

        var killedAt = DateTime.UtcNow;
        child.Kill();

        using var survivor = TestServers.Start(storage, workers: JobCount, o =>
        {
            o.ServerTimeout = TimeSpan.FromSeconds(3);
            o.ServerCheckInterval = TimeSpan.FromSeconds(1);
        });
        await Eventually.Until(() => ids.Count(id => tables.State(id) == SucceededState.StateName), n => n == JobCount, TimeSpan.FromSeconds(30), "every job Succeeded");

        var log = ExecutionLog.Read(db.ConnectionString, tag);
        var claims = FetchAudit.ClaimsPerJob(db);
        // Recovery's guarantee: a job is given back InvisibilityTimeout after its owner's last keep-alive (before the
        // kill), found within one recovery pass (KeepAliveInterval), then fetched and started; 1.5 s for scheduling.
        var bound = InvisibilityTimeout + KeepAliveInterval + storage.Options.QueuePollInterval + TimeSpan.FromSeconds(1.5);
        foreach (var jobId in held)
        {
            var starts = log.Where(e => e.JobId == jobId && e.Event == ExecutionLog.Started).ToList();
            Assert.Equal(2, starts.Count);
            Assert.Equal(child.Pid, starts[0].Pid);
            Assert.Equal(Environment.ProcessId, starts[1].Pid);
            var recoveredAfter = starts[1].At - killedAt;
            output.WriteLine($"Job {jobId} ran again {recoveredAfter.TotalSeconds:0.00} s after the kill (bound {bound.TotalSeconds:0.0} s).");
            Assert.True(recoveredAfter <= bound, $"Job {jobId} ran again {recoveredAfter} after the kill; bound {bound}.");
            Assert.Equal(2, claims[jobId]);
            Assert.Equal([EnqueuedState.StateName, ProcessingState.StateName, ProcessingState.StateName, SucceededState.StateName], tables.History(jobId.ToString()));
        }
        foreach (var jobId in ids.Select(long.Parse).Except(held))
        {
            Assert.Equal([Environment.ProcessId], log.Where(e => e.JobId == jobId && e.Event == ExecutionLog.Started).Select(e => e.Pid));
            Assert.Equal(1, claims[jobId]);
        }
        Assert.All(log.Where(e => e.Event == ExecutionLog.Finished), e => Assert.Equal(Environment.ProcessId, e.Pid));
        // Hangfire's watchdog removed the dead server; its row must not linger.
        await Eventually.Until(() => ChildServerRows(child.Pid), n => n == 0, TimeSpan.FromSeconds(10), "the dead server's row removed");
    }

    private int ChildServerRows(int pid)
    {
        using var connection = db.Open();
        return connection.ExecuteScalar<int>("SELECT COUNT(*) FROM hf_server WHERE id LIKE CONCAT('e2e-child-', @pid, ':%')", new { pid });
    }
}
