using Hangfire.Common;
using Hangfire.Server;
using JobServer.Storage.MySql.Queue;
using JobServer.Storage.MySql.Tests.Infrastructure;

namespace JobServer.Storage.MySql.Tests.Contract.MySql;

/// <summary>Hangfire's watchdog removing a dead server also gives back its process's fetched jobs, in the same call.</summary>
public sealed class ServerRecoveryOnMySql(MySqlTestDatabase db) : MySqlContractStorage(db), IClassFixture<MySqlTestDatabase>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(300);

    private static ServerContext Context() => new() { Queues = ["default"], WorkerCount = 1 };

    /// <summary>A "dead process": a storage that announced <paramref name="servers"/> and fetched one job.</summary>
    private (MySqlStorage Storage, string JobId) ProcessHoldingAJob(params string[] servers)
    {
        var storage = NewStorage(FastRecovery());
        Db.Reset();
        var queue = "q_" + Guid.NewGuid().ToString("N")[..12];
        using var connection = storage.GetConnection();
        foreach (var server in servers) connection.AnnounceServer(server, Context());
        var id = connection.CreateExpiredJob(Job.FromExpression(() => ContractJobs.Greet("x", 1)),
            new Dictionary<string, string?>(), DateTime.UtcNow, TimeSpan.FromHours(1));
        using (var transaction = connection.CreateWriteTransaction())
        {
            transaction.AddToQueue(queue, id);
            transaction.Commit();
        }
        using var fetching = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var fetched = (MySqlFetchedJob)connection.FetchNextJob([queue], fetching.Token);
        // The process dies holding it: no keep-alive, no requeue (its storage object is simply left behind).
        storage.KeepAlive.Untrack(fetched);
        Sql("UPDATE hf_job_queue SET fetched_at = UTC_TIMESTAMP(6) - INTERVAL 1 HOUR WHERE job_id = @id", new { id = long.Parse(id) });
        return (storage, id);
    }

    private void Silence(string server) =>
        Sql("UPDATE hf_server SET last_heartbeat = UTC_TIMESTAMP(6) - INTERVAL 1 HOUR WHERE id = @server", new { server });

    private int RemoveTimedOutServersFromAnotherProcess(Action? justBefore = null)
    {
        var watchdog = NewStorage(FastRecovery());
        // Like recovery, the watchdog gives jobs back only once it has itself been connected for the stale period.
        Eventually.True(() => watchdog.Database.ReachableFor > Timeout, "the watchdog's storage has been connected long enough");
        justBefore?.Invoke();
        using var connection = watchdog.GetConnection();
        return connection.RemoveTimedOutServers(Timeout);
    }

    private bool IsFetched(string jobId) =>
        Scalar<long>("SELECT COUNT(*) FROM hf_job_queue WHERE job_id = @id AND fetched_at IS NOT NULL", new { id = long.Parse(jobId) }) == 1;

    [Fact]
    public void RemoveTimedOutServers_DeadServersJobStale_GivenBackInSameCall()
    {
        var server = Unique("dead");
        var (_, jobId) = ProcessHoldingAJob(server);
        Silence(server);

        Assert.Equal(1, RemoveTimedOutServersFromAnotherProcess());

        Assert.False(IsFetched(jobId));
    }

    [Fact]
    public void RemoveTimedOutServers_OwnerStillHasLiveServer_JobKept()
    {
        var (stalled, alive) = (Unique("stalled"), Unique("alive"));
        var (process, jobId) = ProcessHoldingAJob(stalled, alive);
        Silence(stalled);

        // One server of the process stalled, the other still beats: the process lives, and so may the job.
        Assert.Equal(1, RemoveTimedOutServersFromAnotherProcess(() =>
        {
            using var connection = process.GetConnection();
            connection.Heartbeat(alive);
        }));

        Assert.True(IsFetched(jobId));
    }
}
