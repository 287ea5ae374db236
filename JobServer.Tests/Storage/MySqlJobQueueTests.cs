using Dapper;
using JobServer.Engine.States;
using JobServer.Storage;
using JobServer.Storage.MySql;
using JobServer.Tests.Infrastructure;

namespace JobServer.Tests.Storage;

public sealed class MySqlJobQueueTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly DateTime Now = new(2030, 1, 1, 12, 0, 0, DateTimeKind.Utc);

    private List<long> CreateJobs(int count, string queue = "default")
    {
        var writer = new MySqlJobWriter(database.CreateDb());
        return Enumerable.Range(0, count).Select(_ => writer.Create(new NewJob("sleep", queue, "{}"), Now).Id).ToList();
    }

    [Fact]
    public void Claim_AndEmptyPoll_LeaveNoTransactionOpen()
    {
        database.Reset();
        CreateJobs(3);
        // One pooled connection: an open transaction on it would keep the claimed rows locked.
        var queue = new MySqlJobQueue(database.CreateDb(database.ConnectionString + ";Maximum Pool Size=1"));

        Assert.Equal(3, queue.Claim("default", "server-a", 10, Now).Count);
        Assert.Empty(queue.Claim("default", "server-a", 10, Now));

        using var other = database.Open();
        using var transaction = other.BeginTransaction();
        // NOWAIT fails at once on a row another transaction still locks.
        Assert.Equal(3, other.Query<long>("SELECT job_id FROM js_queue FOR UPDATE NOWAIT", transaction: transaction).Count());
        Assert.Equal(3, other.ExecuteScalar<long>("SELECT COUNT(*) FROM js_queue WHERE claimed_by = 'server-a'", transaction: transaction));
    }

    [Fact]
    public async Task Claim_ConcurrentServersOnSeparateConnections_NeverShareAJob()
    {
        database.Reset();
        var ids = CreateJobs(200);

        var claims = await Task.WhenAll(Enumerable.Range(0, 4).Select(server => Task.Run(() =>
        {
            var queue = new MySqlJobQueue(database.CreateDb(database.ConnectionString + $";Maximum Pool Size={20 + server}"));
            var mine = new List<long>();
            IReadOnlyList<ClaimedJob> batch;
            while ((batch = queue.Claim("default", $"server-{server}", 7, Now)).Count > 0)
            {
                mine.AddRange(batch.Select(j => j.Id));
            }

            return mine;
        })));

        var all = claims.SelectMany(c => c).ToList();
        Assert.Equal(ids.Count, all.Count);
        Assert.Equal(ids.Order(), all.Order());
        using var connection = database.Open();
        Assert.Equal(200, connection.ExecuteScalar<int>("SELECT COUNT(*) FROM js_job WHERE state = 'Processing' AND attempts = 1"));
    }

    [Fact]
    public void Claim_OtherQueue_IsNotTaken()
    {
        database.Reset();
        CreateJobs(3, "reports");
        var queue = new MySqlJobQueue(database.CreateDb());

        Assert.Empty(queue.Claim("default", "s1", 10, Now));
        Assert.Equal(3, queue.Claim("reports", "s1", 10, Now).Count);
    }

    [Fact]
    public void SetSucceededIfClaimed_AfterClaimWasRecovered_IsRefused()
    {
        database.Reset();
        var id = CreateJobs(1).Single();
        var db = database.CreateDb();
        var queue = new MySqlJobQueue(db);
        var servers = new MySqlServerStore(db);
        servers.Announce(new ServerInfo("dead", ["default"], 1, 1, Now, Now));
        var stale = queue.Claim("default", "dead", 1, Now).Single();

        var recovery = servers.RecoverDead(Now.AddSeconds(1), Now.AddSeconds(1), "survivor");
        var fresh = queue.Claim("default", "survivor", 1, Now.AddSeconds(2)).Single();

        Assert.Equal(["dead"], recovery.DeadServers);
        Assert.Equal(1, recovery.RequeuedJobs);
        Assert.False(queue.SetSucceededIfClaimed(stale, "dead", null, Now, Now.AddDays(1)));
        Assert.True(queue.SetSucceededIfClaimed(fresh, "survivor", null, Now, Now.AddDays(1)));
        Assert.Equal(2, fresh.Attempt);
        Assert.Equal(JobState.Succeeded, new MySqlJobReader(db).GetJob(id)!.Summary.State);
    }

    [Fact]
    public void SetSucceededIfClaimed_SameServerReclaimedAfterDeleteAndRequeue_StaleLeaseIsRefused()
    {
        database.Reset();
        var id = CreateJobs(1).Single();
        var db = database.CreateDb();
        var queue = new MySqlJobQueue(db);
        var writer = new MySqlJobWriter(db);
        var stale = queue.Claim("default", "s1", 1, Now).Single();
        writer.Delete(id, "test", Now, Now.AddDays(1));
        writer.Requeue(id, "test", Now, (_, _) => null);
        var fresh = queue.Claim("default", "s1", 1, Now).Single();

        // Requeue reset the attempts, so both claims are attempt 1 on the same server: only the lease differs.
        Assert.Equal(stale.Attempt, fresh.Attempt);
        Assert.False(queue.SetSucceededIfClaimed(stale, "s1", null, Now, Now.AddDays(1)));
        Assert.True(queue.SetSucceededIfClaimed(fresh, "s1", null, Now, Now.AddDays(1)));
    }

    [Fact]
    public void ExpireJobs_SucceededPastRetention_RemovesJobHistoryAndCount()
    {
        database.Reset();
        var ids = CreateJobs(3);
        var db = database.CreateDb();
        var queue = new MySqlJobQueue(db);
        var maintenance = new MySqlMaintenanceStore(db);
        var claimed = queue.Claim("default", "s1", 3, Now);
        Assert.True(queue.SetSucceededIfClaimed(claimed[0], "s1", null, Now, Now.AddMinutes(1)));
        Assert.True(queue.SetSucceededIfClaimed(claimed[1], "s1", null, Now, Now.AddMinutes(5)));
        Assert.True(queue.SetFailedIfClaimed(claimed[2], "s1", new JobFailure("E", "m", "d"), "failed", Now));

        var expired = maintenance.ExpireJobs(Now.AddMinutes(2), 100);
        maintenance.AggregateCounters(100);

        Assert.Equal(1, expired);
        var reader = new MySqlJobReader(db);
        Assert.Null(reader.GetJob(ids[0]));
        Assert.NotNull(reader.GetJob(ids[1]));
        Assert.NotNull(reader.GetJob(ids[2]));
        var states = reader.GetStats().States;
        Assert.Equal(1, states[JobState.Succeeded]);
        Assert.Equal(1, states[JobState.Failed]);
        using var connection = database.Open();
        Assert.Equal(0, connection.ExecuteScalar<int>("SELECT COUNT(*) FROM js_job_history WHERE job_id = @id", new { id = ids[0] }));
        Assert.Equal(0, connection.ExecuteScalar<int>("SELECT COUNT(*) FROM js_stat_delta"));
    }

    [Fact]
    public void PromoteDue_OnlyJobsWhoseTimeCame()
    {
        database.Reset();
        var db = database.CreateDb();
        var writer = new MySqlJobWriter(db);
        var due = writer.Create(new NewJob("sleep", "default", "{}", Now.AddSeconds(10)), Now).Id;
        var later = writer.Create(new NewJob("sleep", "default", "{}", Now.AddSeconds(60)), Now).Id;

        var result = new MySqlScheduleStore(db).PromoteDue(Now.AddSeconds(10), 100, "s1");

        Assert.Equal(1, result.Count);
        Assert.Equal(["default"], result.Queues);
        var reader = new MySqlJobReader(db);
        Assert.Equal(JobState.Enqueued, reader.GetJob(due)!.Summary.State);
        Assert.Equal(JobState.Scheduled, reader.GetJob(later)!.Summary.State);
    }
}
