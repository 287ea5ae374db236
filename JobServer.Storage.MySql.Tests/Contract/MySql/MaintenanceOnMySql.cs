using Hangfire.Common;
using Hangfire.Storage;
using JobServer.Storage.MySql.Maintenance;
using JobServer.Storage.MySql.Tests.Infrastructure;

namespace JobServer.Storage.MySql.Tests.Contract.MySql;

/// <summary>Our maintenance processes, one pass each: counter aggregation keeps values, expiration deletes only the expired.</summary>
public sealed class MaintenanceOnMySql(MySqlTestDatabase db) : MySqlContractStorage(db), IClassFixture<MySqlTestDatabase>
{
    private static void Commit(MySqlStorage storage, Action<JobStorageTransaction> write)
    {
        using var connection = storage.GetConnection();
        using var transaction = (JobStorageTransaction)connection.CreateWriteTransaction();
        write(transaction);
        transaction.Commit();
    }

    [Fact]
    public void CountersAggregator_RunOnce_ValuesUnchanged()
    {
        var storage = NewStorage();
        var (plain, expiring) = (Unique("stats"), Unique("stats"));
        Commit(storage, t =>
        {
            for (var i = 0; i < 5; i++) t.IncrementCounter(plain);
            t.DecrementCounter(plain);
            t.IncrementCounter(expiring, TimeSpan.FromDays(1));
            t.IncrementCounter(expiring, TimeSpan.FromDays(1));
        });
        var aggregator = new CountersAggregator(storage);
        using var connection = (JobStorageConnection)storage.GetConnection();

        Assert.True(aggregator.RunOnce() >= 8);
        Assert.Equal(4, connection.GetCounter(plain));
        Assert.Equal(2, connection.GetCounter(expiring));

        Commit(storage, t => t.IncrementCounter(plain));
        aggregator.RunOnce();
        Assert.Equal(5, connection.GetCounter(plain));
        Assert.Equal(0, Scalar<long>("SELECT COUNT(*) FROM hf_counter WHERE `key` IN @keys", new { keys = new[] { plain, expiring } }));
    }

    [Fact]
    public async Task CountersAggregator_ServersFoldAtOnce_EveryIncrementCountedOnce()
    {
        var reader = NewStorage(); // creates the schema
        var key = Unique("stats");
        const int increments = 20_000;
        Sql($"INSERT INTO hf_counter (`key`, value) SELECT @key, 1 FROM (SELECT 1 FROM information_schema.COLUMNS a, information_schema.COLUMNS b LIMIT {increments}) n", new { key });
        Assert.Equal(increments, Scalar<long>("SELECT COUNT(*) FROM hf_counter WHERE `key` = @key", new { key }));
        // Four servers' aggregators (each its own storage, small batches so that passes overlap) all start at once.
        var aggregators = Enumerable.Range(0, 4)
            .Select(_ => new CountersAggregator(NewStorage(new MySqlStorageOptions { CountersAggregateBatchSize = 500 })))
            .ToList();
        using var start = new Barrier(aggregators.Count);
        var passes = aggregators.Select(a => Task.Run(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < 5; i++) a.RunOnce();
        })).ToArray();
        await Task.WhenAll(passes);
        aggregators[0].RunOnce();

        using var connection = (JobStorageConnection)reader.GetConnection();
        Assert.Equal(increments, connection.GetCounter(key));
        Assert.Equal(0L, Scalar<long>("SELECT COUNT(*) FROM hf_counter WHERE `key` = @key", new { key }));
    }

    [Fact]
    public void ExpirationManager_RunOnce_DeletesExpiredCountersRawAndAggregated()
    {
        var time = new ShiftedTime();
        var storage = NewStorage(time: time);
        var (aggregated, raw, kept) = (Unique("stats"), Unique("stats"), Unique("stats"));
        Commit(storage, t =>
        {
            t.IncrementCounter(aggregated, TimeSpan.FromHours(1));
            t.IncrementCounter(kept);
        });
        new CountersAggregator(storage).RunOnce();
        Commit(storage, t => t.IncrementCounter(raw, TimeSpan.FromHours(1)));
        using var connection = (JobStorageConnection)storage.GetConnection();

        time.Offset = TimeSpan.FromHours(2);
        new ExpirationManager(storage).RunOnce();

        Assert.Equal(0, connection.GetCounter(aggregated));
        Assert.Equal(0, connection.GetCounter(raw));
        Assert.Equal(1, connection.GetCounter(kept));
    }

    [Fact]
    public void ExpirationManager_RunOnce_DeletesExpiredJobAndKeysKeepsPersisted()
    {
        var time = new ShiftedTime();
        var storage = NewStorage(time: time);
        using var connection = (JobStorageConnection)storage.GetConnection();
        string NewJob() => connection.CreateExpiredJob(Job.FromExpression(() => ContractJobs.Greet("x", 1)),
            new Dictionary<string, string?> { ["p"] = "v" }, DateTime.UtcNow, TimeSpan.FromHours(1));
        var (expired, persisted) = (NewJob(), NewJob());
        var (set, hash, list) = (Unique("set"), Unique("hash"), Unique("list"));
        Commit(storage, t =>
        {
            t.ExpireJob(expired, TimeSpan.FromMinutes(30));
            t.PersistJob(persisted);
            t.AddToSet(set, "a");
            t.ExpireSet(set, TimeSpan.FromMinutes(30));
            t.SetRangeInHash(hash, new Dictionary<string, string> { ["f"] = "v" });
            t.ExpireHash(hash, TimeSpan.FromMinutes(30));
            t.InsertToList(list, "a");
            t.ExpireList(list, TimeSpan.FromMinutes(30));
        });

        time.Offset = TimeSpan.FromHours(2);
        new ExpirationManager(storage).RunOnce();

        Assert.Null(connection.GetJobData(expired));
        Assert.Equal(0, Scalar<long>("SELECT COUNT(*) FROM hf_job_parameter WHERE job_id = @id", new { id = long.Parse(expired) }));
        Assert.NotNull(connection.GetJobData(persisted));
        Assert.Empty(connection.GetAllItemsFromSet(set));
        Assert.Null(connection.GetAllEntriesFromHash(hash));
        Assert.Empty(connection.GetAllItemsFromList(list));
    }
}
