using Hangfire;
using Hangfire.InMemory;
using JobServer.Storage.MySql.Tests.Infrastructure;

namespace JobServer.Storage.MySql.Tests.Contract;

/// <summary>Hashes: field maps written through the connection or a transaction, read whole or by field, expiry.</summary>
public abstract class HashContract : StorageContract
{
    private static Dictionary<string, string> Fields(params (string Name, string Value)[] fields) =>
        fields.ToDictionary(f => f.Name, f => f.Value);

    [Fact]
    public void SetRangeInHash_OnConnection_AllEntriesReadBack()
    {
        var key = Unique("hash");
        var connection = Connect();

        connection.SetRangeInHash(key, Fields(("Cron", "* * * * *"), ("Queue", "default")));

        Assert.Equal(Fields(("Cron", "* * * * *"), ("Queue", "default")), connection.GetAllEntriesFromHash(key));
    }

    [Fact]
    public void SetRangeInHash_InTransaction_VisibleAfterCommit()
    {
        var key = Unique("hash");
        Commit(t => t.SetRangeInHash(key, Fields(("a", "1"), ("b", "2"))));

        Assert.Equal(Fields(("a", "1"), ("b", "2")), Connect().GetAllEntriesFromHash(key));
    }

    [Fact]
    public void SetRangeInHash_ExistingField_Overwritten()
    {
        var key = Unique("hash");
        var connection = Connect();
        connection.SetRangeInHash(key, Fields(("a", "1"), ("b", "2")));

        Commit(t => t.SetRangeInHash(key, Fields(("a", "changed"), ("c", "3"))));

        Assert.Equal(Fields(("a", "changed"), ("b", "2"), ("c", "3")), connection.GetAllEntriesFromHash(key));
    }

    [Fact]
    public void GetAllEntriesFromHash_MissingKey_Null()
    {
        Assert.Null(Connect().GetAllEntriesFromHash(Unique("missing")));
    }

    [Fact]
    public void GetValueFromHash_FieldPresentOrNot_ValueOrNull()
    {
        var key = Unique("hash");
        var connection = Connect();
        connection.SetRangeInHash(key, Fields(("a", "1")));

        Assert.Equal("1", connection.GetValueFromHash(key, "a"));
        Assert.Null(connection.GetValueFromHash(key, "b"));
        Assert.Null(connection.GetValueFromHash(Unique("missing"), "a"));
        Assert.Throws<ArgumentNullException>(() => connection.GetValueFromHash(null!, "a"));
        Assert.Throws<ArgumentNullException>(() => connection.GetValueFromHash(key, null!));
    }

    [Fact]
    public void GetHashCount_Fields_Counted()
    {
        var key = Unique("hash");
        var connection = Connect();
        connection.SetRangeInHash(key, Fields(("a", "1"), ("b", "2"), ("c", "3")));

        Assert.Equal(3, connection.GetHashCount(key));
        Assert.Equal(0, connection.GetHashCount(Unique("missing")));
    }

    [Fact]
    public void RemoveHash_Key_AllFieldsGoneOthersStay()
    {
        var key = Unique("hash");
        var other = Unique("hash");
        var connection = Connect();
        connection.SetRangeInHash(key, Fields(("a", "1"), ("b", "2")));
        connection.SetRangeInHash(other, Fields(("a", "1")));

        Commit(t => t.RemoveHash(key));

        Assert.Null(connection.GetAllEntriesFromHash(key));
        Assert.Equal(0, connection.GetHashCount(key));
        Assert.Equal(1, connection.GetHashCount(other));
    }

    [Fact]
    public void ExpireHash_ThenPersistHash_TtlSetThenInfinite()
    {
        var key = Unique("hash");
        var connection = Connect();
        connection.SetRangeInHash(key, Fields(("a", "1")));
        // No expiry: InMemory answers −1 ms (Timeout.InfiniteTimeSpan), SQL storages −1 s; Hangfire only tests < 0.
        Assert.True(connection.GetHashTtl(key) < TimeSpan.Zero);

        Commit(t => t.ExpireHash(key, TimeSpan.FromHours(1)));
        Assert.InRange(connection.GetHashTtl(key), TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
        Assert.Equal("1", connection.GetValueFromHash(key, "a"));

        Commit(t => t.PersistHash(key));
        Assert.True(connection.GetHashTtl(key) < TimeSpan.Zero);
        Assert.True(connection.GetHashTtl(Unique("missing")) < TimeSpan.Zero);
    }
}

public sealed class HashContractOnInMemory : HashContract
{
    protected override JobStorage CreateStorage() => new InMemoryStorage();
}

public sealed class HashContractOnMySql(MySqlTestDatabase db) : HashContract, IClassFixture<MySqlTestDatabase>
{
    protected override JobStorage CreateStorage() => db.CreateStorage();
}
