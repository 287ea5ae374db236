using Hangfire.States;
using Hangfire.Storage;
using JobServer.Storage.MySql.Tests.Infrastructure;
using MySqlConnector;

namespace JobServer.Storage.MySql.Tests.Contract.MySql;

/// <summary>
/// Concurrent commits of one process travel as one database transaction; each member must still be atomic and keep
/// its own outcome. Twenty threads released at once commit while the first group is on its way, so groups form.
/// </summary>
public sealed class CommitGroupsOnMySql(MySqlTestDatabase db) : MySqlContractStorage(db), IClassFixture<MySqlTestDatabase>
{
    private const int Threads = 20;

    [Fact]
    public void ConcurrentCommits_AreMerged_AndEveryOneIsVisibleWhenItsCommitReturns()
    {
        var storage = NewStorage();
        var key = Unique("merged");
        var round = 0;
        // Merging depends on arrival times; a few rounds make a group of two or more all but certain.
        while (storage.Commits.MergedMembers == 0 && round < 10)
        {
            var prefix = $"{key}-{round++}-";
            Concurrently(i =>
            {
                using var connection = storage.GetConnection();
                using (var transaction = connection.CreateWriteTransaction())
                {
                    transaction.AddToSet(prefix + i, "value");
                    transaction.IncrementCounter(prefix + "count");
                    transaction.Commit();
                }
                // Durable and visible the moment Commit returns, from any session.
                Assert.Equal(1L, Scalar<long>("SELECT COUNT(*) FROM hf_set WHERE `key` = @key", new { key = prefix + i }));
            });
            using var reader = (JobStorageConnection)storage.GetConnection();
            Assert.Equal(Threads, reader.GetCounter(prefix + "count"));
        }

        Assert.True(storage.Commits.MergedMembers >= 2, $"no commits were merged in {round} rounds of {Threads} concurrent commits");
    }

    [Fact]
    public void ConcurrentCommits_OneFails_OnlyThatOneThrowsAndNothingOfItIsKept()
    {
        var storage = NewStorage();
        for (var round = 0; round < 5; round++)
        {
            var prefix = Unique("member") + "-";
            var failures = new System.Collections.Concurrent.ConcurrentBag<int>();
            Concurrently(i =>
            {
                using var connection = storage.GetConnection();
                using var transaction = connection.CreateWriteTransaction();
                transaction.AddToSet(prefix + i, "value");
                // Member 7 also writes a key too long for hf_set: its commit fails, in a group or alone.
                if (i == 7) transaction.AddToSet("z" + new string('z', 200), "value");
                try
                {
                    transaction.Commit();
                }
                catch (MySqlException)
                {
                    failures.Add(i);
                }
            });

            Assert.Equal([7], failures);
            var kept = Scalar<long>("SELECT COUNT(*) FROM hf_set WHERE `key` LIKE @prefix", new { prefix = prefix + "%" });
            Assert.Equal(Threads - 1, kept);
            Assert.Equal(0L, Scalar<long>("SELECT COUNT(*) FROM hf_set WHERE `key` = @key", new { key = prefix + 7 }));
        }
    }

    [Fact]
    public void MergeConcurrentCommitsOff_NothingIsMerged()
    {
        var storage = NewStorage(new MySqlStorageOptions { MergeConcurrentCommits = false });
        var prefix = Unique("alone") + "-";
        Concurrently(i =>
        {
            using var connection = storage.GetConnection();
            using var transaction = connection.CreateWriteTransaction();
            transaction.AddToSet(prefix + i, "value");
            transaction.Commit();
        });

        Assert.Equal(0, storage.Commits.MergedMembers);
        Assert.Equal(Threads, Scalar<long>("SELECT COUNT(*) FROM hf_set WHERE `key` LIKE @prefix", new { prefix = prefix + "%" }));
    }

    [Fact]
    public void SetJobStateThenExpireOrPersist_OneUpdateSetsBoth()
    {
        var storage = NewStorage();
        using var connection = storage.GetConnection();
        var expiring = connection.CreateExpiredJob(Hangfire.Common.Job.FromExpression(() => Console.WriteLine("a")), new Dictionary<string, string>(), DateTime.UtcNow, TimeSpan.FromHours(1));
        var kept = connection.CreateExpiredJob(Hangfire.Common.Job.FromExpression(() => Console.WriteLine("b")), new Dictionary<string, string>(), DateTime.UtcNow, TimeSpan.FromHours(1));
        using (var transaction = connection.CreateWriteTransaction())
        {
            transaction.SetJobState(expiring, new SucceededState(null, 0, 0));
            transaction.ExpireJob(expiring, TimeSpan.FromDays(3));
            transaction.SetJobState(kept, new EnqueuedState("default"));
            transaction.PersistJob(kept);
            transaction.Commit();
        }

        Assert.Equal(SucceededState.StateName, connection.GetJobData(expiring)!.State);
        Assert.Equal(EnqueuedState.StateName, connection.GetStateData(kept)!.Name);
        var expiresIn = Scalar<DateTime>("SELECT expire_at FROM hf_job WHERE id = @expiring", new { expiring }) - DateTime.UtcNow;
        Assert.InRange(expiresIn, TimeSpan.FromDays(3) - TimeSpan.FromMinutes(5), TimeSpan.FromDays(3) + TimeSpan.FromMinutes(5));
        Assert.Null(Scalar<DateTime?>("SELECT expire_at FROM hf_job WHERE id = @kept", new { kept }));
    }

    [Fact]
    public void StateLockTaken_WriteThroughSameConnection_GetJobDataSeesIt()
    {
        var storage = NewStorage();
        using var connection = storage.GetConnection();
        var id = connection.CreateExpiredJob(Hangfire.Common.Job.FromExpression(() => Console.WriteLine("c")), new Dictionary<string, string> { ["p"] = "\"before\"" }, DateTime.UtcNow, TimeSpan.FromHours(1));

        using (connection.AcquireDistributedLock($"job:{id}:state-lock", TimeSpan.FromSeconds(5)))
        {
            // The job was read together with GET_LOCK; a write since must not be hidden by that read.
            connection.SetJobParameter(id, "p", "\"after\"");
            Assert.Equal("\"after\"", connection.GetJobData(id)!.ParametersSnapshot["p"]);
        }

        using (connection.AcquireDistributedLock($"job:{id}:state-lock", TimeSpan.FromSeconds(5)))
        {
            Assert.Equal("\"after\"", connection.GetJobData(id)!.ParametersSnapshot["p"]);
        }
    }

    private static void Concurrently(Action<int> body)
    {
        using var start = new Barrier(Threads);
        var errors = new System.Collections.Concurrent.ConcurrentBag<Exception>();
        var threads = Enumerable.Range(0, Threads).Select(i => new Thread(() =>
        {
            try
            {
                start.SignalAndWait();
                body(i);
            }
            catch (Exception ex)
            {
                errors.Add(ex);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        if (!errors.IsEmpty) throw new AggregateException(errors);
    }
}
