using Hangfire;
using Hangfire.Common;
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

    [Fact]
    public void CreateExpiredJob_ParameterRowFails_NoJobRowLeftAndTheSessionIsClean()
    {
        var storage = NewStorage();
        using var connection = storage.GetConnection();
        var before = Scalar<long>("SELECT COUNT(*) FROM hf_job");
        // hf_job_parameter.name holds 40 characters: the second INSERT of the batch fails after the job row went in.
        var parameters = new Dictionary<string, string> { ["CurrentCulture"] = "en-US", [new string('p', 41)] = "x" };

        Assert.Throws<MySqlException>(() => connection.CreateExpiredJob(Job.FromExpression(() => Console.WriteLine("never")), parameters, DateTime.UtcNow, TimeSpan.FromHours(1)));

        // One transaction for both rows: the job row went with the failed parameter row, not committed on its own.
        Assert.Equal(before, Scalar<long>("SELECT COUNT(*) FROM hf_job"));
        var id = connection.CreateExpiredJob(Job.FromExpression(() => Console.WriteLine("after")), new Dictionary<string, string> { ["CurrentCulture"] = "en-US" },
            DateTime.UtcNow, TimeSpan.FromHours(1));
        Assert.Equal("en-US", connection.GetJobParameter(id, "CurrentCulture"));
        // Had the failed transaction been left open, the next START TRANSACTION on that pooled session would have
        // committed its job row too.
        Assert.Equal(before + 1, Scalar<long>("SELECT COUNT(*) FROM hf_job"));
    }
}
