using Hangfire;
using Hangfire.InMemory;
using JobServer.Storage.MySql.Tests.Infrastructure;

namespace JobServer.Storage.MySql.Tests.Contract;

/// <summary>Sorted sets: membership, scores, ordering (score, then value), ranges, counts and expiry.</summary>
public abstract class SetContract : StorageContract
{
    [Fact]
    public void AddToSet_WithAndWithoutScore_BothItemsListed()
    {
        var key = Unique("set");
        Commit(t =>
        {
            t.AddToSet(key, "plain");
            t.AddToSet(key, "scored", 5.0);
        });

        var items = Connect().GetAllItemsFromSet(key);

        Assert.Equal(new HashSet<string> { "plain", "scored" }, items);
    }

    [Fact]
    public void AddToSet_ExistingValue_UpdatesScoreWithoutDuplicate()
    {
        var key = Unique("set");
        Commit(t => t.AddToSet(key, "a", 1.0));
        Commit(t => t.AddToSet(key, "b", 2.0));
        Commit(t => t.AddToSet(key, "a", 3.0));
        var connection = Connect();

        Assert.Equal(2, connection.GetSetCount(key));
        Assert.Equal("b", connection.GetFirstByLowestScoreFromSet(key, 0, 10));
        Assert.Equal(["b", "a"], connection.GetRangeFromSet(key, 0, 1));
    }

    [Fact]
    public void AddToSet_ValuesDifferingOnlyInTrailingSpace_StayTwoItems()
    {
        var key = Unique("set");
        Commit(t =>
        {
            t.AddToSet(key, "a", 1.0);
            t.AddToSet(key, "a ", 2.0);
        });
        var connection = Connect();

        Assert.Equal(2, connection.GetSetCount(key));
        Assert.True(connection.GetSetContains(key, "a "));
        Assert.Equal(["a", "a "], connection.GetRangeFromSet(key, 0, 1));
    }

    [Fact]
    public void RemoveFromSet_OneValue_OthersStay()
    {
        var key = Unique("set");
        Commit(t =>
        {
            t.AddToSet(key, "a");
            t.AddToSet(key, "b");
        });
        Commit(t => t.RemoveFromSet(key, "a"));

        Assert.Equal(new HashSet<string> { "b" }, Connect().GetAllItemsFromSet(key));
    }

    [Fact]
    public void RemoveSet_WholeSet_OnlyThatKeyEmptied()
    {
        var key = Unique("set");
        var other = Unique("set");
        Commit(t =>
        {
            t.AddRangeToSet(key, ["a", "b"]);
            t.AddToSet(other, "c");
        });
        Commit(t => t.RemoveSet(key));
        var connection = Connect();

        Assert.Empty(connection.GetAllItemsFromSet(key));
        Assert.Equal(1, connection.GetSetCount(other));
    }

    [Fact]
    public void AddRangeToSet_Items_AllAddedWithScoreZero()
    {
        var key = Unique("set");
        Commit(t => t.AddToSet(key, "negative", -1.0));
        Commit(t => t.AddRangeToSet(key, ["x", "y", "z"]));
        var connection = Connect();

        Assert.Equal(new HashSet<string> { "negative", "x", "y", "z" }, connection.GetAllItemsFromSet(key));
        Assert.Equal(["x", "y", "z"], connection.GetFirstByLowestScoreFromSet(key, 0, 0, 10));
    }

    [Fact]
    public void GetAllItemsFromSet_MissingKey_Empty()
    {
        Assert.Empty(Connect().GetAllItemsFromSet(Unique("missing")));
    }

    [Fact]
    public void GetFirstByLowestScoreFromSet_Range_LowestInsideBoundsInclusive()
    {
        var key = Unique("set");
        Commit(t =>
        {
            t.AddToSet(key, "below", 1.0);
            t.AddToSet(key, "low", 2.0);
            t.AddToSet(key, "high", 3.0);
            t.AddToSet(key, "above", 4.0);
        });
        var connection = Connect();

        Assert.Equal("low", connection.GetFirstByLowestScoreFromSet(key, 2.0, 3.0));
        Assert.Equal("high", connection.GetFirstByLowestScoreFromSet(key, 2.5, 3.0));
        Assert.Null(connection.GetFirstByLowestScoreFromSet(key, 4.5, 9.0));
        Assert.Null(connection.GetFirstByLowestScoreFromSet(Unique("missing"), 0, 9.0));
    }

    [Fact]
    public void GetFirstByLowestScoreFromSet_Batched_OrderedByScoreThenValueUpToCount()
    {
        var key = Unique("set");
        Commit(t =>
        {
            t.AddToSet(key, "d", 2.0);
            t.AddToSet(key, "c", 1.0);
            t.AddToSet(key, "b", 1.0);
            t.AddToSet(key, "a", 5.0);
            t.AddToSet(key, "z", 0.5);
        });
        var connection = Connect();

        Assert.Equal(["b", "c", "d"], connection.GetFirstByLowestScoreFromSet(key, 1.0, 2.0, 10));
        Assert.Equal(["z", "b"], connection.GetFirstByLowestScoreFromSet(key, 0, 10.0, 2));
        Assert.Equal(["a"], connection.GetFirstByLowestScoreFromSet(key, 3.0, 10.0, 5));
        Assert.Empty(connection.GetFirstByLowestScoreFromSet(key, 6.0, 10.0, 5));
    }

    [Fact]
    public void GetFirstByLowestScoreFromSet_InvalidArguments_Throw()
    {
        var connection = Connect();

        // Hangfire probes batching support with exactly this call and expects this exception.
        var nullKey = Assert.Throws<ArgumentNullException>(() => connection.GetFirstByLowestScoreFromSet(null!, 0, 0, 1));
        Assert.Equal("key", nullKey.ParamName);
        Assert.Throws<ArgumentNullException>(() => connection.GetFirstByLowestScoreFromSet(null!, 0, 0));
        // InMemory throws ArgumentException, ours its subclass ArgumentOutOfRangeException: both name the argument.
        Assert.Equal("count", Assert.ThrowsAny<ArgumentException>(() => connection.GetFirstByLowestScoreFromSet("k", 0, 1, 0)).ParamName);
        Assert.Equal("count", Assert.ThrowsAny<ArgumentException>(() => connection.GetFirstByLowestScoreFromSet("k", 0, 1, -1)).ParamName);
        Assert.Equal("toScore", Assert.ThrowsAny<ArgumentException>(() => connection.GetFirstByLowestScoreFromSet("k", 2, 1, 1)).ParamName);
        Assert.Equal("toScore", Assert.ThrowsAny<ArgumentException>(() => connection.GetFirstByLowestScoreFromSet("k", 2, 1)).ParamName);
    }

    [Fact]
    public void AddToSet_LargeUnixTimestampScores_StayDistinctAndOrdered()
    {
        var key = Unique("set");
        Commit(t =>
        {
            t.AddToSet(key, "later", 1893456001);
            t.AddToSet(key, "earlier", 1893456000);
        });
        var connection = Connect();

        Assert.Equal("earlier", connection.GetFirstByLowestScoreFromSet(key, 1893456000, 1893456000));
        Assert.Equal("later", connection.GetFirstByLowestScoreFromSet(key, 1893456001, 1893456001));
        Assert.Equal(["earlier", "later"], connection.GetFirstByLowestScoreFromSet(key, 0, 1893456001, 10));
    }

    [Fact]
    public void GetSetCount_SingleAndLimitedOverKeys_CountsCapped()
    {
        var first = Unique("set");
        var second = Unique("set");
        Commit(t =>
        {
            t.AddRangeToSet(first, ["a", "b", "c"]);
            t.AddRangeToSet(second, ["a", "b"]);
        });
        var connection = Connect();

        Assert.Equal(3, connection.GetSetCount(first));
        Assert.Equal(0, connection.GetSetCount(Unique("missing")));
        Assert.Equal(5, connection.GetSetCount([first, second], 10));
        Assert.Equal(4, connection.GetSetCount([first, second], 4));
        Assert.Equal(0, connection.GetSetCount([first, second], 0));
        Assert.Equal(2, connection.GetSetCount([second, Unique("missing")], 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => connection.GetSetCount([first], -1));
    }

    [Fact]
    public void GetSetContains_MemberAndNonMember_TrueOnlyForMember()
    {
        var key = Unique("set");
        Commit(t => t.AddToSet(key, "member"));
        var connection = Connect();

        Assert.True(connection.GetSetContains(key, "member"));
        Assert.False(connection.GetSetContains(key, "Member"));
        Assert.False(connection.GetSetContains(Unique("missing"), "member"));
    }

    [Fact]
    public void GetRangeFromSet_Indexes_InclusiveRangeInScoreOrder()
    {
        var key = Unique("set");
        Commit(t =>
        {
            for (var i = 0; i < 5; i++) t.AddToSet(key, $"item{i}", 10 - i);
        });
        var connection = Connect();

        Assert.Equal(["item3", "item2"], connection.GetRangeFromSet(key, 1, 2));
        Assert.Equal(["item0"], connection.GetRangeFromSet(key, 4, 100));
        Assert.Empty(connection.GetRangeFromSet(key, 5, 6));
        Assert.Equal(["item4"], connection.GetRangeFromSet(key, 0, 0));
    }

    [Fact]
    public void GetRangeFromSet_InvalidIndexes_ThrowArgumentException()
    {
        var connection = Connect();

        Assert.ThrowsAny<ArgumentException>(() => connection.GetRangeFromSet("k", -1, 2));
        Assert.ThrowsAny<ArgumentException>(() => connection.GetRangeFromSet("k", 3, 2));
        Assert.Throws<ArgumentNullException>(() => connection.GetRangeFromSet(null!, 0, 1));
    }

    [Fact]
    public void ExpireSet_ThenPersistSet_TtlSetThenInfinite()
    {
        var key = Unique("set");
        var connection = Connect();
        Commit(t => t.AddRangeToSet(key, ["a", "b"]));
        // No expiry: InMemory answers Timeout.InfiniteTimeSpan (−1 ms), SQL storages −1 s; Hangfire only tests < 0.
        Assert.True(connection.GetSetTtl(key) < TimeSpan.Zero);

        // Under InMemory's default MaxExpirationTime (3 h), which would shorten longer expiries.
        Commit(t => t.ExpireSet(key, TimeSpan.FromHours(1)));
        var ttl = connection.GetSetTtl(key);
        Assert.InRange(ttl, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
        Assert.Equal(2, connection.GetSetCount(key));

        Commit(t => t.PersistSet(key));
        Assert.True(connection.GetSetTtl(key) < TimeSpan.Zero);
        Assert.True(connection.GetSetTtl(Unique("missing")) < TimeSpan.Zero);
    }
}

public sealed class SetContractOnInMemory : SetContract
{
    protected override JobStorage CreateStorage() => new InMemoryStorage();
}

public sealed class SetContractOnMySql(MySqlTestDatabase db) : SetContract, IClassFixture<MySqlTestDatabase>
{
    protected override JobStorage CreateStorage() => db.CreateStorage();
}
