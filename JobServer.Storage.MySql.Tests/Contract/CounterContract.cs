using Hangfire;
using Hangfire.InMemory;
using JobServer.Storage.MySql.Tests.Infrastructure;

namespace JobServer.Storage.MySql.Tests.Contract;

/// <summary>Counters: increments and decrements with and without expiry add up per key.</summary>
public abstract class CounterContract : StorageContract
{
    [Fact]
    public void GetCounter_MissingKey_Zero()
    {
        Assert.Equal(0, Connect().GetCounter(Unique("missing")));
    }

    [Fact]
    public void IncrementCounter_WithoutExpiry_AddsUp()
    {
        var key = Unique("stats");
        Commit(t =>
        {
            t.IncrementCounter(key);
            t.IncrementCounter(key);
        });
        Commit(t => t.IncrementCounter(key));

        Assert.Equal(3, Connect().GetCounter(key));
    }

    [Fact]
    public void IncrementCounter_WithExpiry_AddsUp()
    {
        var key = Unique("stats");
        Commit(t =>
        {
            t.IncrementCounter(key, TimeSpan.FromDays(1));
            t.IncrementCounter(key, TimeSpan.FromDays(1));
        });

        Assert.Equal(2, Connect().GetCounter(key));
    }

    [Fact]
    public void DecrementCounter_WithAndWithoutExpiry_Subtracts()
    {
        var key = Unique("stats");
        Commit(t =>
        {
            t.IncrementCounter(key);
            t.IncrementCounter(key);
            t.IncrementCounter(key);
            t.DecrementCounter(key);
            t.DecrementCounter(key, TimeSpan.FromHours(1));
        });

        Assert.Equal(1, Connect().GetCounter(key));
    }

    [Fact]
    public void DecrementCounter_BelowZero_Negative()
    {
        var key = Unique("stats");
        Commit(t => t.DecrementCounter(key));

        Assert.Equal(-1, Connect().GetCounter(key));
    }

    [Fact]
    public void IncrementCounter_OtherKey_Untouched()
    {
        var key = Unique("stats");
        var other = Unique("stats");
        Commit(t => t.IncrementCounter(key));

        Assert.Equal(0, Connect().GetCounter(other));
    }
}

public sealed class CounterContractOnInMemory : CounterContract
{
    protected override JobStorage CreateStorage() => new InMemoryStorage();
}

public sealed class CounterContractOnMySql(MySqlTestDatabase db) : CounterContract, IClassFixture<MySqlTestDatabase>
{
    protected override JobStorage CreateStorage() => db.CreateStorage();
}
