using Dapper;
using Hangfire;
using Hangfire.InMemory;
using Hangfire.Server;
using Hangfire.Storage;
using JobServer.Storage.MySql.Tests.Infrastructure;

namespace JobServer.Storage.MySql.Tests.Contract;

/// <summary>Servers: announce, heartbeat, removal, and the watchdog's removal of servers that stopped beating.</summary>
public abstract class ServerContract : StorageContract
{
    protected static ServerContext Context() => new() { Queues = ["default", "critical"], WorkerCount = 4 };

    /// <summary>Makes the server's last heartbeat <paramref name="by"/> older than it is.</summary>
    protected abstract void AgeServer(string serverId, TimeSpan by);

    [Fact]
    public void Heartbeat_AnnouncedServer_Succeeds()
    {
        var connection = Connect();
        var id = Unique("server");

        connection.AnnounceServer(id, Context());
        connection.Heartbeat(id);
        connection.AnnounceServer(id, Context());
        connection.Heartbeat(id);
    }

    [Fact]
    public void Heartbeat_AfterRemoveServer_ThrowsBackgroundServerGone()
    {
        var connection = Connect();
        var id = Unique("server");
        connection.AnnounceServer(id, Context());

        connection.RemoveServer(id);

        Assert.Throws<BackgroundServerGoneException>(() => connection.Heartbeat(id));
    }

    [Fact]
    public void Heartbeat_UnknownServer_ThrowsBackgroundServerGone()
    {
        Assert.Throws<BackgroundServerGoneException>(() => Connect().Heartbeat(Unique("server")));
    }

    [Fact]
    public void RemoveServer_UnknownServer_NoError()
    {
        Connect().RemoveServer(Unique("server"));
    }

    [Fact]
    public void RemoveTimedOutServers_OneSilentOneBeating_RemovesOnlyTheSilentOne()
    {
        var connection = Connect();
        var (silent, beating) = (Unique("silent"), Unique("beating"));
        connection.AnnounceServer(silent, Context());
        connection.AnnounceServer(beating, Context());

        AgeServer(silent, TimeSpan.FromMilliseconds(800));
        connection.Heartbeat(beating);
        var removed = connection.RemoveTimedOutServers(TimeSpan.FromMilliseconds(400));

        Assert.Equal(1, removed);
        Assert.Throws<BackgroundServerGoneException>(() => connection.Heartbeat(silent));
        connection.Heartbeat(beating);
        Assert.Equal(0, connection.RemoveTimedOutServers(TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void RemoveTimedOutServers_NegativeTimeout_ThrowsArgumentException()
    {
        Assert.ThrowsAny<ArgumentException>(() => Connect().RemoveTimedOutServers(TimeSpan.FromSeconds(-1)));
    }
}

public sealed class ServerContractOnInMemory : ServerContract
{
    protected override JobStorage CreateStorage() => new InMemoryStorage();

    // InMemory keeps heartbeats on a monotonic clock nothing can set: the only way to age one is to let time pass.
    // The servers that must stay young beat again after this.
    protected override void AgeServer(string serverId, TimeSpan by) => Thread.Sleep(by);
}

public sealed class ServerContractOnMySql : ServerContract, IClassFixture<MySqlTestDatabase>
{
    private readonly MySqlTestDatabase _db;

    public ServerContractOnMySql(MySqlTestDatabase db) => _db = db;

    protected override JobStorage CreateStorage()
    {
        var storage = _db.CreateStorage();
        // RemoveTimedOutServers sees every server in the database: each test starts without the previous tests' ones.
        _db.Reset();
        return storage;
    }

    protected override void AgeServer(string serverId, TimeSpan by)
    {
        using var connection = _db.Open();
        connection.Execute("UPDATE hf_server SET last_heartbeat = last_heartbeat - INTERVAL @micros MICROSECOND WHERE id = @serverId",
            new { serverId, micros = (long)(by.TotalMilliseconds * 1000) });
    }
}
