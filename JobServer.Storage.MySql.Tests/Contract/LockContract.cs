using Hangfire;
using Hangfire.InMemory;
using Hangfire.Storage;
using JobServer.Storage.MySql.Tests.Infrastructure;

namespace JobServer.Storage.MySql.Tests.Contract;

/// <summary>Distributed locks: exclusive across connections, re-entrant per connection, released by disposal.</summary>
public abstract class LockContract : StorageContract
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(200);

    private static void AssertHeldElsewhere(IStorageConnection other, string resource)
    {
        var ex = Assert.Throws<DistributedLockTimeoutException>(() => other.AcquireDistributedLock(resource, Short));
        // Hangfire's schedulers recognise their locks by suffix: a prefix is allowed, a suffix is not.
        Assert.EndsWith(resource, ex.Resource);
    }

    private static void AssertFree(IStorageConnection other, string resource) =>
        other.AcquireDistributedLock(resource, TimeSpan.FromSeconds(5)).Dispose();

    [Fact]
    public void AcquireDistributedLock_HeldByAnotherConnection_TimesOut()
    {
        var resource = Unique("lock");
        using var held = Connect().AcquireDistributedLock(resource, Short);

        AssertHeldElsewhere(Connect(), resource);
    }

    [Fact]
    public void AcquireDistributedLock_Released_AnotherConnectionAcquires()
    {
        var resource = Unique("lock");
        var connection = Connect();

        connection.AcquireDistributedLock(resource, Short).Dispose();

        AssertFree(Connect(), resource);
        AssertFree(connection, resource);
    }

    [Fact]
    public void AcquireDistributedLock_TwiceOnOneConnection_HeldUntilBothReleased()
    {
        var resource = Unique("lock");
        var connection = Connect();
        var other = Connect();
        var outer = connection.AcquireDistributedLock(resource, Short);
        var inner = connection.AcquireDistributedLock(resource, Short);

        inner.Dispose();
        AssertHeldElsewhere(other, resource);

        outer.Dispose();
        AssertFree(other, resource);
    }

    [Fact]
    public void AcquireDistributedLock_ConnectionDisposed_Released()
    {
        var resource = Unique("lock");
        var connection = Storage.GetConnection();
        connection.AcquireDistributedLock(resource, Short);
        connection.AcquireDistributedLock(resource, Short);

        connection.Dispose();

        AssertFree(Connect(), resource);
    }

    [Fact]
    public void AcquireDistributedLock_DifferentResources_BothHeld()
    {
        using var first = Connect().AcquireDistributedLock(Unique("lock"), Short);
        using var second = Connect().AcquireDistributedLock(Unique("lock"), Short);
    }

    [Fact]
    public void AcquireDistributedLock_InTransaction_HeldUntilCommitted()
    {
        var resource = Unique("lock");
        var other = Connect();
        using var connection = Storage.GetConnection();
        using var transaction = (JobStorageTransaction)connection.CreateWriteTransaction();

        transaction.AcquireDistributedLock(resource, Short);
        transaction.IncrementCounter(Unique("stats"));
        AssertHeldElsewhere(other, resource);

        transaction.Commit();
        AssertFree(other, resource);
    }

    [Fact]
    public void AcquireDistributedLock_InTransactionDisposedWithoutCommit_Released()
    {
        var resource = Unique("lock");
        using (var connection = Storage.GetConnection())
        using (var transaction = (JobStorageTransaction)connection.CreateWriteTransaction())
        {
            transaction.AcquireDistributedLock(resource, Short);
        }

        AssertFree(Connect(), resource);
    }
}

public sealed class LockContractOnInMemory : LockContract
{
    protected override JobStorage CreateStorage() => new InMemoryStorage();
}

public sealed class LockContractOnMySql(MySqlTestDatabase db) : LockContract, IClassFixture<MySqlTestDatabase>
{
    protected override JobStorage CreateStorage() => db.CreateStorage();
}
