using Hangfire.Common;
using Hangfire.States;
using Hangfire.Storage;
using JobServer.Storage.MySql.Locks;
using JobServer.Storage.MySql.Tests.Infrastructure;
using MySqlConnector;

namespace JobServer.Storage.MySql.Tests.Contract.MySql;

/// <summary>
/// A job's state lock ends with the commit of the state it guarded: the commit goes on the lock's session and releases
/// the lock in the same round trip, as long as nothing else still depends on the lock — otherwise it is held until
/// disposed, as every lock is.
/// </summary>
public sealed class StateLockCommitOnMySql(MySqlTestDatabase db) : MySqlContractStorage(db), IClassFixture<MySqlTestDatabase>
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(200);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void StateCommitUnderItsLock_LockFreeOnceCommitted(bool mergeCommits)
    {
        var storage = NewStorage(new MySqlStorageOptions { MergeConcurrentCommits = mergeCommits });
        var (id, resource) = NewJob(storage);
        using var holder = storage.GetConnection();
        var held = holder.AcquireDistributedLock(resource, Short);
        Assert.True(IsUsed(resource));

        CommitEnqueued(holder, id);

        // Released by the commit's own round trip, before Hangfire disposes the lock.
        Assert.False(IsUsed(resource));
        Assert.Equal("Enqueued", holder.GetJobData(id)!.State);
        using var other = storage.GetConnection();
        using var taken = other.AcquireDistributedLock(resource, TimeSpan.Zero);

        // Disposing the first holder's lock afterwards must not free the one the other connection now holds.
        held.Dispose();
        Assert.True(IsUsed(resource));
    }

    [Fact]
    public void CommitNotSettingThatJobsState_LockHeldUntilDisposed()
    {
        var storage = NewStorage();
        var (id, resource) = NewJob(storage);
        using var holder = storage.GetConnection();
        var held = holder.AcquireDistributedLock(resource, Short);

        using (var transaction = (JobStorageTransaction)holder.CreateWriteTransaction())
        {
            transaction.SetJobParameter(id, "note", "\"kept\"");
            transaction.IncrementCounter(Unique("stats"));
            transaction.Commit();
        }

        Assert.True(IsUsed(resource));
        held.Dispose();
        Assert.False(IsUsed(resource));
    }

    [Fact]
    public void StateCommitOfAnotherJob_ItsLockHeldUntilDisposed()
    {
        var storage = NewStorage();
        var (id, resource) = NewJob(storage);
        var (otherId, _) = NewJob(storage);
        using var holder = storage.GetConnection();
        using var held = holder.AcquireDistributedLock(resource, Short);

        CommitEnqueued(holder, otherId);

        Assert.True(IsUsed(resource));
        Assert.Null(holder.GetJobData(id)!.State);
    }

    [Fact]
    public void ReenteredStateLock_HeldUntilTheOuterRelease()
    {
        var storage = NewStorage();
        var (id, resource) = NewJob(storage);
        using var holder = storage.GetConnection();
        var outer = holder.AcquireDistributedLock(resource, Short);
        var inner = holder.AcquireDistributedLock(resource, Short);

        CommitEnqueued(holder, id);

        Assert.True(IsUsed(resource));
        inner.Dispose();
        Assert.True(IsUsed(resource));
        outer.Dispose();
        Assert.False(IsUsed(resource));
    }

    [Fact]
    public void StateCommitFails_NothingChangedAndTheLockStillHeld()
    {
        var storage = NewStorage();
        var (id, resource) = NewJob(storage);
        using var holder = storage.GetConnection();
        var held = holder.AcquireDistributedLock(resource, Short);

        using (var transaction = holder.CreateWriteTransaction())
        {
            transaction.SetJobState(id, new EnqueuedState());
            // Sent after the state statements (sets sort last): a key over hf_set's 100 characters fails the batch.
            transaction.AddToSet(new string('z', 101), "a");
            Assert.Throws<MySqlException>(transaction.Commit);
        }

        Assert.True(IsUsed(resource));
        Assert.Null(holder.GetJobData(id)!.State);
        CommitEnqueued(holder, id);
        Assert.Equal("Enqueued", holder.GetJobData(id)!.State);
        Assert.False(IsUsed(resource));
        held.Dispose();
        // Nothing of the failed batch was left open on the pooled session.
        Assert.Equal(0, Scalar<long>("SELECT COUNT(*) FROM hf_set WHERE value = 'a'"));
    }

    private static (string Id, string Resource) NewJob(MySqlStorage storage)
    {
        using var connection = storage.GetConnection();
        var id = connection.CreateExpiredJob(Job.FromExpression(() => Console.WriteLine("locked")), new Dictionary<string, string>(),
            DateTime.UtcNow, TimeSpan.FromHours(1));
        return (id, $"job:{id}:state-lock");
    }

    private static void CommitEnqueued(IStorageConnection connection, string id)
    {
        using var transaction = connection.CreateWriteTransaction();
        transaction.SetJobState(id, new EnqueuedState());
        transaction.Commit();
    }

    private bool IsUsed(string resource) => Scalar<long?>("SELECT IS_USED_LOCK(@name)", new { name = LockName.For(Db.Name, resource) }) is not null;
}
