using Hangfire;
using Hangfire.InMemory;
using Hangfire.States;
using Hangfire.Storage;
using JobServer.Storage.MySql.Tests.Infrastructure;

namespace JobServer.Storage.MySql.Tests.Contract;

/// <summary>Write transactions: all of a commit becomes visible at once, and nothing of an uncommitted one.</summary>
public abstract class TransactionContract : StorageContract
{
    private sealed record Keys(string Job, string Queue, string Set, string Hash, string List, string Counter);

    private Keys NewKeys() => new(CreateJob(), "q_" + Guid.NewGuid().ToString("N")[..12], Unique("set"), Unique("hash"), Unique("list"), Unique("stats"));

    private static void WriteAll(JobStorageTransaction transaction, Keys keys)
    {
        transaction.SetJobState(keys.Job, new EnqueuedState(keys.Queue));
        transaction.AddToQueue(keys.Queue, keys.Job);
        transaction.SetJobParameter(keys.Job, "Written", "yes");
        transaction.AddToSet(keys.Set, "member", 1.0);
        transaction.SetRangeInHash(keys.Hash, new Dictionary<string, string> { ["field"] = "value" });
        transaction.InsertToList(keys.List, "item");
        transaction.IncrementCounter(keys.Counter);
        transaction.IncrementCounter(keys.Counter, TimeSpan.FromHours(1));
    }

    private void AssertNothingWritten(Keys keys)
    {
        var reader = Connect();
        Assert.Null(reader.GetJobData(keys.Job)!.State);
        Assert.Null(reader.GetJobParameter(keys.Job, "Written"));
        Assert.Empty(reader.GetAllItemsFromSet(keys.Set));
        Assert.Null(reader.GetAllEntriesFromHash(keys.Hash));
        Assert.Empty(reader.GetAllItemsFromList(keys.List));
        Assert.Equal(0, reader.GetCounter(keys.Counter));
        Assert.Null(TryFetch(reader, [keys.Queue], TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public void Commit_SeveralOperations_NoneVisibleBeforeAllVisibleAfter()
    {
        var keys = NewKeys();
        using var connection = Storage.GetConnection();
        using var transaction = (JobStorageTransaction)connection.CreateWriteTransaction();
        WriteAll(transaction, keys);

        AssertNothingWritten(keys);
        transaction.Commit();

        var reader = Connect();
        Assert.Equal(EnqueuedState.StateName, reader.GetJobData(keys.Job)!.State);
        Assert.Equal("yes", reader.GetJobParameter(keys.Job, "Written"));
        Assert.Equal(["member"], reader.GetAllItemsFromSet(keys.Set));
        Assert.Equal("value", reader.GetValueFromHash(keys.Hash, "field"));
        Assert.Equal(["item"], reader.GetAllItemsFromList(keys.List));
        Assert.Equal(2, reader.GetCounter(keys.Counter));
        Assert.Equal(keys.Job, TryFetch(reader, [keys.Queue], TimeSpan.FromSeconds(5))?.JobId);
    }

    [Fact]
    public void Dispose_WithoutCommit_WritesNothing()
    {
        var keys = NewKeys();
        using (var connection = Storage.GetConnection())
        using (var transaction = (JobStorageTransaction)connection.CreateWriteTransaction())
        {
            WriteAll(transaction, keys);
        }

        AssertNothingWritten(keys);
    }

    [Fact]
    public void Commit_NoOperations_Succeeds()
    {
        Commit(_ => { });
    }

    [Fact]
    public void Commit_OperationsOnOneKeyInOrder_AppliedInThatOrder()
    {
        var set = Unique("set");
        var list = Unique("list");
        var hash = Unique("hash");
        Commit(t =>
        {
            t.AddToSet(set, "a", 1.0);
            t.RemoveFromSet(set, "a");
            t.AddToSet(set, "b", 2.0);
            t.InsertToList(list, "1");
            t.InsertToList(list, "2");
            t.TrimList(list, 0, 0);
            t.SetRangeInHash(hash, new Dictionary<string, string> { ["f"] = "old" });
            t.RemoveHash(hash);
            t.SetRangeInHash(hash, new Dictionary<string, string> { ["f"] = "new" });
        });
        var reader = Connect();

        Assert.Equal(["b"], reader.GetAllItemsFromSet(set));
        Assert.Equal(["2"], reader.GetAllItemsFromList(list));
        Assert.Equal("new", reader.GetValueFromHash(hash, "f"));
    }

    [Fact]
    public void Commit_GarbageJobIds_IgnoredRestCommitted()
    {
        var key = Unique("set");
        Commit(t =>
        {
            t.SetJobState("not-a-job", new EnqueuedState());
            t.AddJobState("not-a-job", new EnqueuedState());
            t.ExpireJob("not-a-job", TimeSpan.FromHours(1));
            t.PersistJob("not-a-job");
            t.SetJobParameter("not-a-job", "name", "value");
            t.AddToSet(key, "written");
        });

        Assert.Equal(["written"], Connect().GetAllItemsFromSet(key));
    }
}

public sealed class TransactionContractOnInMemory : TransactionContract
{
    protected override JobStorage CreateStorage() => new InMemoryStorage();
}

public sealed class TransactionContractOnMySql(MySqlTestDatabase db) : TransactionContract, IClassFixture<MySqlTestDatabase>
{
    protected override JobStorage CreateStorage() => db.CreateStorage();
}
