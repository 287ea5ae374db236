using Hangfire;
using Hangfire.InMemory;
using JobServer.Storage.MySql.Tests.Infrastructure;

namespace JobServer.Storage.MySql.Tests.Contract;

/// <summary>Lists: newest item first, removal of every equal item, trimming to an index range, expiry.</summary>
public abstract class ListContract : StorageContract
{
    private string ListOf(params string[] oldestFirst)
    {
        var key = Unique("list");
        Commit(t =>
        {
            foreach (var item in oldestFirst) t.InsertToList(key, item);
        });
        return key;
    }

    [Fact]
    public void InsertToList_SeveralItems_NewestFirst()
    {
        var key = ListOf("1", "2");
        Commit(t => t.InsertToList(key, "3"));

        Assert.Equal(["3", "2", "1"], Connect().GetAllItemsFromList(key));
    }

    [Fact]
    public void InsertToList_SameValueTwice_BothKept()
    {
        var key = ListOf("a", "a");

        Assert.Equal(2, Connect().GetListCount(key));
    }

    [Fact]
    public void RemoveFromList_Value_EveryOccurrenceRemoved()
    {
        var key = ListOf("a", "b", "a", "c");

        Commit(t => t.RemoveFromList(key, "a"));

        Assert.Equal(["c", "b"], Connect().GetAllItemsFromList(key));
    }

    [Theory]
    [InlineData(0, 1, new[] { "5", "4" })]
    [InlineData(1, 3, new[] { "4", "3", "2" })]
    [InlineData(3, 10, new[] { "2", "1" })]
    [InlineData(0, 4, new[] { "5", "4", "3", "2", "1" })]
    [InlineData(5, 9, new string[0])]
    [InlineData(2, 1, new string[0])]
    public void TrimList_Range_KeepsOnlyThoseIndexes(int start, int end, string[] expected)
    {
        var key = ListOf("1", "2", "3", "4", "5");

        Commit(t => t.TrimList(key, start, end));

        Assert.Equal(expected, Connect().GetAllItemsFromList(key));
    }

    [Fact]
    public void TrimList_OtherKeys_Untouched()
    {
        var key = ListOf("1", "2");
        var other = ListOf("x", "y");

        Commit(t => t.TrimList(key, 0, 0));

        Assert.Equal(["y", "x"], Connect().GetAllItemsFromList(other));
    }

    [Fact]
    public void GetAllItemsFromList_MissingKey_Empty()
    {
        Assert.Empty(Connect().GetAllItemsFromList(Unique("missing")));
    }

    [Fact]
    public void GetRangeFromList_Indexes_InclusiveRangeNewestFirst()
    {
        var key = ListOf("1", "2", "3", "4", "5");
        var connection = Connect();

        Assert.Equal(["4", "3"], connection.GetRangeFromList(key, 1, 2));
        Assert.Equal(["5"], connection.GetRangeFromList(key, 0, 0));
        Assert.Equal(["2", "1"], connection.GetRangeFromList(key, 3, 100));
        Assert.Empty(connection.GetRangeFromList(key, 5, 9));
        Assert.Empty(connection.GetRangeFromList(Unique("missing"), 0, 9));
    }

    [Fact]
    public void GetRangeFromList_InvalidIndexes_ThrowArgumentException()
    {
        var connection = Connect();

        Assert.ThrowsAny<ArgumentException>(() => connection.GetRangeFromList("k", -1, 2));
        Assert.ThrowsAny<ArgumentException>(() => connection.GetRangeFromList("k", 3, 2));
        Assert.Throws<ArgumentNullException>(() => connection.GetRangeFromList(null!, 0, 1));
    }

    [Fact]
    public void GetListCount_Items_Counted()
    {
        var key = ListOf("a", "b", "c");
        var connection = Connect();

        Assert.Equal(3, connection.GetListCount(key));
        Assert.Equal(0, connection.GetListCount(Unique("missing")));
    }

    [Fact]
    public void ExpireList_ThenPersistList_TtlSetThenInfinite()
    {
        var key = ListOf("a");
        var connection = Connect();
        // No expiry: InMemory answers −1 ms (Timeout.InfiniteTimeSpan), SQL storages −1 s; Hangfire only tests < 0.
        Assert.True(connection.GetListTtl(key) < TimeSpan.Zero);

        Commit(t => t.ExpireList(key, TimeSpan.FromHours(1)));
        Assert.InRange(connection.GetListTtl(key), TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
        Assert.Equal(["a"], connection.GetAllItemsFromList(key));

        Commit(t => t.PersistList(key));
        Assert.True(connection.GetListTtl(key) < TimeSpan.Zero);
        Assert.True(connection.GetListTtl(Unique("missing")) < TimeSpan.Zero);
    }
}

public sealed class ListContractOnInMemory : ListContract
{
    protected override JobStorage CreateStorage() => new InMemoryStorage();
}

public sealed class ListContractOnMySql(MySqlTestDatabase db) : ListContract, IClassFixture<MySqlTestDatabase>
{
    protected override JobStorage CreateStorage() => db.CreateStorage();
}
