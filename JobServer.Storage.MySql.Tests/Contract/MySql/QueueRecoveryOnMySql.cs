using Dapper;
using Hangfire.Common;
using Hangfire.Storage;
using JobServer.Storage.MySql.Maintenance;
using JobServer.Storage.MySql.Queue;
using JobServer.Storage.MySql.Tests.Infrastructure;

namespace JobServer.Storage.MySql.Tests.Contract.MySql;

/// <summary>
/// What only a storage shared by processes must do: give a disposed or abandoned job back, fence a stale holder by
/// its token, and keep alive exactly the jobs this process holds. (InMemory removes a job from its queue at fetch and
/// lives in one process, so none of this applies to it: its fetched job's Dispose does nothing.)
/// </summary>
public sealed class QueueRecoveryOnMySql(MySqlTestDatabase db) : MySqlContractStorage(db), IClassFixture<MySqlTestDatabase>
{
    private static string Queue() => "q_" + Guid.NewGuid().ToString("N")[..12];

    private static string Enqueue(MySqlStorage storage, string queue)
    {
        using var connection = storage.GetConnection();
        var id = connection.CreateExpiredJob(Job.FromExpression(() => ContractJobs.Greet("x", 1)),
            new Dictionary<string, string?>(), DateTime.UtcNow, TimeSpan.FromHours(1));
        using var transaction = connection.CreateWriteTransaction();
        transaction.AddToQueue(queue, id);
        transaction.Commit();
        return id;
    }

    private MySqlFetchedJob? TryFetch(MySqlStorage storage, string queue, TimeSpan wait)
    {
        using var connection = storage.GetConnection();
        using var cancellation = new CancellationTokenSource(wait);
        try
        {
            return Own((MySqlFetchedJob)connection.FetchNextJob([queue], cancellation.Token));
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    private MySqlFetchedJob Fetch(MySqlStorage storage, string queue) =>
        TryFetch(storage, queue, TimeSpan.FromSeconds(5)) ?? throw new Xunit.Sdk.XunitException($"Nothing fetched from {queue}.");

    private void MakeStale(string jobId) =>
        Sql("UPDATE hf_job_queue SET fetched_at = UTC_TIMESTAMP(6) - INTERVAL 1 HOUR WHERE job_id = @id", new { id = long.Parse(jobId) });

    private string? TokenOf(string jobId) =>
        Scalar<string?>("SELECT fetch_token FROM hf_job_queue WHERE job_id = @id", new { id = long.Parse(jobId) });

    /// <summary>Runs recovery until it gives something back (it waits out one InvisibilityTimeout after start).</summary>
    private static void RecoverAbandoned(MySqlStorage storage)
    {
        var recovery = new AbandonedJobRecovery(storage);
        Eventually.True(() => recovery.RunOnce() > 0, "recovery gave the stale job back");
    }

    [Fact]
    public void Dispose_WithoutAcknowledge_RequeuedAtOnce()
    {
        var storage = NewStorage(FastRecovery());
        var queue = Queue();
        var id = Enqueue(storage, queue);

        Fetch(storage, queue).Dispose();

        Assert.Null(TokenOf(id));
        Assert.Equal(id, Fetch(storage, queue).JobId);
    }

    [Fact]
    public void Requeue_StaleHolderAfterRecoveryAndRefetch_ChangesNothing()
    {
        var (storage, queue, id, stale, current) = FetchedAgainAfterRecovery();

        stale.Requeue();

        Assert.Equal(current.Token, TokenOf(id));
        Assert.Null(TryFetch(storage, queue, TimeSpan.FromMilliseconds(300)));
        current.RemoveFromQueue();
        Assert.Equal(0, Scalar<long>("SELECT COUNT(*) FROM hf_job_queue WHERE job_id = @id", new { id = long.Parse(id) }));
    }

    [Fact]
    public void RemoveFromQueue_StaleHolderAfterRecoveryAndRefetch_ChangesNothing()
    {
        var (storage, queue, id, stale, current) = FetchedAgainAfterRecovery();

        stale.RemoveFromQueue();
        using (var connection = storage.GetConnection())
        using (var transaction = (JobStorageTransaction)connection.CreateWriteTransaction())
        {
            // The transactional acknowledge is fenced by the same token.
            transaction.RemoveFromQueue(stale);
            transaction.Commit();
        }

        Assert.Equal(current.Token, TokenOf(id));
        current.Requeue();
        Assert.Equal(id, Fetch(storage, queue).JobId);
    }

    [Fact]
    public void AbandonedJobRecovery_JobKeptAlive_NotGivenBack()
    {
        var storage = NewStorage(FastRecovery());
        var queue = Queue();
        var id = Enqueue(storage, queue);
        var held = Fetch(storage, queue);
        var recovery = new AbandonedJobRecovery(storage);
        Eventually.True(() => storage.Database.ReachableFor > storage.Options.InvisibilityTimeout, "recovery is armed");

        Assert.Equal(1, storage.KeepAlive.Refresh());
        recovery.RunOnce();

        Assert.Equal(held.Token, TokenOf(id));
    }

    [Fact]
    public void KeepAliveRefresh_TwoProcesses_RefreshesOnlyTheTokensThisProcessHolds()
    {
        var (mine, theirs) = (NewStorage(FastRecovery()), NewStorage(FastRecovery()));
        var queue = Queue();
        var myId = Enqueue(mine, queue);
        var myJob = Fetch(mine, queue);
        var theirId = Enqueue(theirs, queue);
        Fetch(theirs, queue);
        var lostId = Enqueue(mine, queue);
        // A claim committed under our owner name whose reply never arrived: we do not hold its token.
        Sql("UPDATE hf_job_queue SET fetched_at = UTC_TIMESTAMP(6), fetched_by = @owner, fetch_token = @token WHERE job_id = @id",
            new { owner = mine.Owner, token = Guid.NewGuid().ToString("N"), id = long.Parse(lostId) });
        foreach (var id in new[] { myId, theirId, lostId }) MakeStale(id);

        Assert.Equal(1, mine.KeepAlive.Refresh());

        double AgeSeconds(string id) => Scalar<double>(
            "SELECT TIMESTAMPDIFF(MICROSECOND, fetched_at, UTC_TIMESTAMP(6)) / 1e6 FROM hf_job_queue WHERE job_id = @id", new { id = long.Parse(id) });
        Assert.InRange(AgeSeconds(myId), 0, 10);
        Assert.True(AgeSeconds(theirId) > 3000);
        Assert.True(AgeSeconds(lostId) > 3000);
        Assert.Equal(myJob.Token, TokenOf(myId));
    }

    [Fact]
    public async Task KeepAliveRefresh_ChosenAsDeadlockVictim_RetriesAndRefreshesEveryHeldJob()
    {
        var storage = NewStorage(FastRecovery());
        var queue = Queue();
        var (first, second) = (Enqueue(storage, queue), Enqueue(storage, queue));
        Fetch(storage, queue);
        Fetch(storage, queue);
        long RowOf(string jobId) => Scalar<long>("SELECT id FROM hf_job_queue WHERE job_id = @id", new { id = long.Parse(jobId) });
        var (firstRow, secondRow) = (RowOf(first), RowOf(second));

        // A heavy transaction (many rows written, so InnoDB picks the keep-alive as the cheaper victim) holds the second
        // row; the keep-alive locks the first and waits for it; then the heavy one asks for the first: a deadlock.
        await using var heavy = Db.Open();
        await using var transaction = await heavy.BeginTransactionAsync();
        await heavy.ExecuteAsync("INSERT INTO hf_counter (`key`, value) VALUES (@key, 1)",
            Enumerable.Range(0, 300).Select(_ => new { key = "deadlock-weight" }), transaction);
        await heavy.ExecuteAsync("UPDATE hf_job_queue SET queue = queue WHERE id = @id", new { id = secondRow }, transaction);
        var refresh = Task.Run(storage.KeepAlive.Refresh);
        // The process list shows an account its own sessions without the PROCESS privilege.
        Eventually.True(() => Scalar<long>("SELECT COUNT(*) FROM information_schema.processlist WHERE db = DATABASE() AND info LIKE 'UPDATE hf_job_queue%fetched_by = %'") > 0 || refresh.IsCompleted,
            "the keep-alive to wait for the heavy transaction's row");
        Assert.False(refresh.IsCompleted, "the keep-alive did not wait: the test would prove nothing");
        await heavy.ExecuteAsync("UPDATE hf_job_queue SET queue = queue WHERE id = @id", new { id = firstRow }, transaction);
        await transaction.CommitAsync();

        Assert.Equal(2, await refresh.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    /// <summary>A job fetched, abandoned (keep-alive stale), given back by recovery and fetched again by someone else.</summary>
    private (MySqlStorage Storage, string Queue, string Id, MySqlFetchedJob Stale, MySqlFetchedJob Current) FetchedAgainAfterRecovery()
    {
        var storage = NewStorage(FastRecovery());
        var queue = Queue();
        var id = Enqueue(storage, queue);
        var stale = Fetch(storage, queue);
        MakeStale(id);
        RecoverAbandoned(storage);
        return (storage, queue, id, stale, Fetch(storage, queue));
    }
}
