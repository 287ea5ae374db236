using Hangfire;
using Hangfire.Storage;
using JobServer.Storage.MySql.Tests.Infrastructure;
using MySqlConnector;

namespace JobServer.Storage.MySql.Tests.Contract.MySql;

/// <summary>A commit is one batch in one database transaction: a failing statement takes all the others with it.</summary>
public sealed class TransactionBatchOnMySql(MySqlTestDatabase db) : MySqlContractStorage(db), IClassFixture<MySqlTestDatabase>
{
    [Fact]
    public void Commit_LastStatementFails_NoneOfTheEarlierVisible()
    {
        var storage = NewStorage();
        var (counter, hash, set) = (Unique("stats"), Unique("hash"), Unique("set"));
        using var connection = (JobStorageConnection)storage.GetConnection();
        using (var transaction = (JobStorageTransaction)connection.CreateWriteTransaction())
        {
            transaction.IncrementCounter(counter);
            transaction.SetRangeInHash(hash, new Dictionary<string, string> { ["f"] = "v" });
            transaction.AddToSet(set, "a");
            // Sent last (sets come last, and 'z…' sorts after 'set-…'): a key over hf_set's 100 characters.
            transaction.AddToSet(new string('z', 101), "a");

            Assert.Throws<MySqlException>(transaction.Commit);
        }

        Assert.Equal(0, connection.GetCounter(counter));
        Assert.Null(connection.GetAllEntriesFromHash(hash));
        Assert.Empty(connection.GetAllItemsFromSet(set));
        using (var transaction = connection.CreateWriteTransaction())
        {
            transaction.AddToSet(set, "after");
            transaction.Commit();
        }
        Assert.Equal(["after"], connection.GetAllItemsFromSet(set));
    }
}
