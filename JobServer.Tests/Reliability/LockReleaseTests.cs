using System.Diagnostics;
using Dapper;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Hangfire.Storage;
using JobServer.Jobs;
using JobServer.Storage.MySql;
using JobServer.Tests.Infrastructure;
using JobServer.Tests.SoakChild;
using MySqlConnector;
using Xunit.Abstractions;

namespace JobServer.Tests.Reliability;

/// <summary>
/// Issue 14's lock guarantees. A process holding Hangfire distributed locks — the recurring scheduler's, a job's
/// state lock inside a write transaction as Hangfire's state changer takes it — is SIGKILLed: the locks are free for
/// the others at once (GET_LOCK belongs to the session, which dies with the socket), not after a timeout. A
/// connection killed from the database side (<c>KILL</c>) in the middle of a write transaction never leaves a job
/// half-changed: a job created in a transaction that never committed does not exist, and a state change whose
/// transaction was killed leaves the old state whole.
/// </summary>
[Trait("Category", ReliabilityScale.Category)]
public sealed class LockReleaseTests(TestDatabase database, ITestOutputHelper output) : IClassFixture<TestDatabase>
{
    private static readonly Job SleepJob = Job.FromExpression<SleepJob>(x => x.Run(new SleepArguments { Ms = 1 }, CancellationToken.None));

    [Theory]
    [InlineData("recurring-jobs:lock")]
    [InlineData(LockHolder.TransactionPrefix + "job:{0}:state-lock")]
    public async Task ProcessHoldingHangfireLock_Killed_LockFreeForOthersAtOnce(string resource)
    {
        var storage = Storage();
        var name = string.Format(System.Globalization.CultureInfo.InvariantCulture, resource, new BackgroundJobClient(storage).Create(SleepJob, new EnqueuedState("parked")));
        var plain = name.StartsWith(LockHolder.TransactionPrefix, StringComparison.Ordinal) ? name[LockHolder.TransactionPrefix.Length..] : name;
        using var holder = await LockHolderProcess.StartAsync(database.ConnectionString, name);
        using var survivor = storage.GetConnection();
        Assert.Throws<DistributedLockTimeoutException>(() => survivor.AcquireDistributedLock(plain, TimeSpan.FromMilliseconds(300)));

        holder.KillHard();
        var clock = Stopwatch.StartNew();
        // Far below any lock timeout Hangfire uses (the scheduler's is a minute, a state lock's 15 s): free at once.
        survivor.AcquireDistributedLock(plain, TimeSpan.FromSeconds(5)).Dispose();

        output.WriteLine($"'{plain}' held by a SIGKILLed process: acquired by a survivor {clock.Elapsed.TotalMilliseconds:N0} ms after the process was gone");
    }

    [Fact]
    public void CreateJobTransaction_SessionKilledBeforeCommit_NoJobNoStateNoQueueRow()
    {
        var storage = Storage(pooled: false);
        var sessionsBefore = Sessions();
        using var connection = storage.GetConnection();
        using var transaction = (JobStorageTransaction)connection.CreateWriteTransaction();
        // CreateJob opens the transaction early, on a connection of its own, and writes the job row there.
        var id = transaction.CreateJob(SleepJob, new Dictionary<string, string> { ["CurrentCulture"] = "" }, DateTime.UtcNow, TimeSpan.FromHours(1));
        transaction.SetJobState(id, new EnqueuedState("parked"));
        transaction.AddToQueue("parked", id);

        KillTheNewSession(sessionsBefore);

        Assert.ThrowsAny<Exception>(transaction.Commit);
        using var check = database.Open();
        Assert.Equal(0, check.ExecuteScalar<int>("SELECT COUNT(*) FROM hf_job WHERE id = @id", new { id = long.Parse(id) }));
        Assert.Equal(0, check.ExecuteScalar<int>("SELECT COUNT(*) FROM hf_state WHERE job_id = @id", new { id = long.Parse(id) }));
        Assert.Equal(0, check.ExecuteScalar<int>("SELECT COUNT(*) FROM hf_job_parameter WHERE job_id = @id", new { id = long.Parse(id) }));
        Assert.Equal(0, check.ExecuteScalar<int>("SELECT COUNT(*) FROM hf_job_queue WHERE job_id = @id", new { id = long.Parse(id) }));
    }

    [Fact]
    public void StateChangeUnderStateLock_SessionKilledBeforeCommit_OldStateIntact_LockFree()
    {
        var storage = Storage(pooled: false);
        var id = new BackgroundJobClient(storage).Create(SleepJob, new EnqueuedState("parked"));
        var before = Snapshot(id);
        var sessionsBefore = Sessions();
        using (var connection = storage.GetConnection())
        using (var transaction = (JobStorageTransaction)connection.CreateWriteTransaction())
        {
            // As Hangfire's state changer does: the job's state lock inside the transaction (early connection).
            transaction.AcquireDistributedLock($"job:{id}:state-lock", TimeSpan.FromSeconds(5));
            transaction.SetJobState(id, new DeletedState());
            transaction.AddToSet("soak-deleted", id);

            KillTheNewSession(sessionsBefore);

            Assert.ThrowsAny<Exception>(transaction.Commit);
        }

        Assert.Equal(before, Snapshot(id));
        using var other = storage.GetConnection();
        other.AcquireDistributedLock($"job:{id}:state-lock", TimeSpan.FromSeconds(2)).Dispose();
    }

    [Fact]
    public async Task StateChangeBatch_KilledWhileWaitingMidTransaction_AllOrNothing()
    {
        var storage = Storage(pooled: false);
        var id = new BackgroundJobClient(storage).Create(SleepJob, new EnqueuedState("parked"));
        var before = Snapshot(id);
        // A row lock the batch meets after its job writes (sets come after jobs in a commit's order): the batch
        // has changed the job inside its transaction and waits there, until it is killed.
        await using var blocker = new MySqlConnection(database.ConnectionString);
        await blocker.OpenAsync();
        await blocker.ExecuteAsync("START TRANSACTION; INSERT INTO hf_set (`key`, value, score) VALUES ('soak-blocked', @id, 0)", new { id });
        var commit = Task.Run(() =>
        {
            using var connection = storage.GetConnection();
            using var transaction = connection.CreateWriteTransaction();
            transaction.SetJobState(id, new DeletedState());
            transaction.AddToSet("soak-blocked", id);
            transaction.Commit();
        });
        var waiting = await Eventually.UntilAsync(() => SessionWaitingOn("hf_set"), s => s is not null || commit.IsCompleted, TimeSpan.FromSeconds(10), "the batch to wait on the row lock");
        Assert.NotNull(waiting);
        using (var killer = database.Open()) killer.Execute($"KILL {waiting}");
        var error = await Record.ExceptionAsync(() => commit);
        await blocker.ExecuteAsync("ROLLBACK");

        var after = Snapshot(id);
        output.WriteLine($"batch killed mid-transaction: Commit {(error is null ? "returned (sent again on a new connection)" : "threw " + error.GetType().Name)}; job {after.State} with {after.History} states");
        if (error is not null)
        {
            Assert.Equal(before, after);
        }
        else
        {
            // Sent again whole after the kill: the whole change, never part of it.
            Assert.Equal((DeletedState.StateName, before.History + 1, true), (after.State, after.History, after.StateIdIsLatest));
        }
    }

    private MySqlStorage Storage(bool pooled = true)
    {
        var connectionString = pooled ? database.ConnectionString : new MySqlConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ConnectionString;
        return new MySqlStorage(connectionString, new MySqlStorageOptions());
    }

    /// <summary>The job's state as the dashboard would show it, its history length, whether hf_job points at its latest state.</summary>
    private (string State, int History, bool StateIdIsLatest) Snapshot(string id)
    {
        using var connection = database.Open();
        var job = connection.QuerySingle<(string State, long StateId)>("SELECT state_name, state_id FROM hf_job WHERE id = @id", new { id = long.Parse(id) });
        var history = connection.ExecuteScalar<int>("SELECT COUNT(*) FROM hf_state WHERE job_id = @id", new { id = long.Parse(id) });
        var latest = connection.ExecuteScalar<long>("SELECT MAX(id) FROM hf_state WHERE job_id = @id", new { id = long.Parse(id) });
        return (job.State, history, latest == job.StateId);
    }

    /// <summary>The sessions on this test's database (other tests of the class leave pooled ones behind).</summary>
    private HashSet<long> Sessions()
    {
        using var connection = database.Open();
        return connection.Query<long>("SELECT ID FROM information_schema.PROCESSLIST WHERE DB = @db AND ID <> CONNECTION_ID()", new { db = database.Name }).ToHashSet();
    }

    /// <summary>KILLs the one session opened since <paramref name="before"/>: with pooling off, the storage holds no
    /// connection but the transaction's own.</summary>
    private void KillTheNewSession(HashSet<long> before)
    {
        var sessions = Sessions().Except(before).ToList();
        Assert.Single(sessions);
        using var connection = database.Open();
        connection.Execute($"KILL {sessions[0]}");
    }

    /// <summary>A session that has been running a statement naming <paramref name="table"/> for a while: blocked.</summary>
    private long? SessionWaitingOn(string table)
    {
        using var connection = database.Open();
        return connection.Query<long>("SELECT ID FROM information_schema.PROCESSLIST WHERE DB = @db AND ID <> CONNECTION_ID() AND INFO LIKE @like AND TIME_MS > 200",
            new { db = database.Name, like = $"%{table}%" }).Cast<long?>().FirstOrDefault();
    }
}
