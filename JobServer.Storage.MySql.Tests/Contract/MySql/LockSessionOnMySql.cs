using Hangfire.Storage;
using JobServer.Storage.MySql.Locks;
using JobServer.Storage.MySql.Tests.Infrastructure;

namespace JobServer.Storage.MySql.Tests.Contract.MySql;

/// <summary>GET_LOCK specifics: session-bound (a killed holder frees the lock), hashed long names, scoped per database.</summary>
public sealed class LockSessionOnMySql(MySqlTestDatabase db) : MySqlContractStorage(db), IClassFixture<MySqlTestDatabase>
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(200);

    [Fact]
    public void AcquireDistributedLock_HolderSessionKilled_ReleasedAtOnce()
    {
        var storage = NewStorage();
        var resource = Unique("lock");
        var holder = storage.GetConnection();
        var held = holder.AcquireDistributedLock(resource, Short);
        var sessionId = Scalar<long?>("SELECT IS_USED_LOCK(@name)", new { name = LockName.For(Db.Name, resource) });
        Assert.NotNull(sessionId);

        Sql($"KILL {sessionId}");

        using var other = storage.GetConnection();
        other.AcquireDistributedLock(resource, TimeSpan.FromSeconds(2)).Dispose();
        // The holder learns of its lost session only now; releasing what the server already freed must not throw.
        held.Dispose();
        holder.Dispose();
    }

    [Fact]
    public void AcquireDistributedLock_ResourcesLongerThan64Chars_WorkAndStayDistinct()
    {
        var storage = NewStorage();
        var head = new string('r', 120);
        var (first, second) = (head + "-first", head + "-second");
        using var a = storage.GetConnection();
        using var b = storage.GetConnection();

        using var firstLock = a.AcquireDistributedLock(first, Short);
        using var secondLock = b.AcquireDistributedLock(second, Short);

        Assert.Throws<DistributedLockTimeoutException>(() => b.AcquireDistributedLock(first, Short));
        Assert.NotEqual(LockName.For(Db.Name, first), LockName.For(Db.Name, second));
        Assert.True(LockName.For(Db.Name, first).Length <= 64);
        Assert.NotNull(Scalar<long?>("SELECT IS_USED_LOCK(@name)", new { name = LockName.For(Db.Name, first) }));
    }

    [Fact]
    public async Task AcquireDistributedLock_SameResourceInAnotherDatabase_NotBlocked()
    {
        var otherDb = new MySqlTestDatabase();
        await otherDb.InitializeAsync();
        try
        {
            var resource = Unique("lock");
            using var here = NewStorage().GetConnection();
            using var otherStorage = otherDb.CreateStorage();
            using var there = otherStorage.GetConnection();

            using var hereLock = here.AcquireDistributedLock(resource, Short);
            using var thereLock = there.AcquireDistributedLock(resource, Short);
        }
        finally
        {
            await otherDb.DisposeAsync();
        }
    }
}
