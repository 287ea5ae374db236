using Dapper;
using Hangfire;
using Hangfire.InMemory;
using JobServer.Storage.MySql;
using JobServer.Tests.Infrastructure;

namespace JobServer.Tests.Concurrency;

/// <summary>A Hangfire storage for the concurrency scenarios, and a way to see every job row it holds.</summary>
public abstract class ConcurrencyStorageFixture : IAsyncLifetime
{
    /// <summary>A storage instance on the fixture's data: a new instance each call where the storage allows it (as a
    /// second process would have), else the one instance.</summary>
    public abstract JobStorage CreateStorage();

    /// <summary>Every job row, with or without a state: what "nothing was written" is checked against.</summary>
    public abstract long CountJobRows();

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;
}

/// <summary>Our storage on a database of its own on the test MariaDB; each <see cref="CreateStorage"/> is one more
/// storage instance with its own pool, as another server process would be.</summary>
public sealed class MySqlConcurrencyFixture : ConcurrencyStorageFixture
{
    private readonly TestDatabase _database = new();
    private readonly List<MySqlStorage> _storages = [];

    public TestDatabase Database => _database;

    public static MySqlStorageOptions Options => new()
    {
        // Short, so the server-death test sees the dead server's job come back within seconds.
        InvisibilityTimeout = TimeSpan.FromSeconds(3),
        KeepAliveInterval = TimeSpan.FromSeconds(1),
    };

    public override Task InitializeAsync() => _database.InitializeAsync();

    public override JobStorage CreateStorage()
    {
        var storage = new MySqlStorage(_database.ConnectionString, Options);
        lock (_storages) _storages.Add(storage);
        return storage;
    }

    public override long CountJobRows()
    {
        using var connection = _database.Open();
        return connection.ExecuteScalar<long>("SELECT COUNT(*) FROM hf_job");
    }

    public override async Task DisposeAsync()
    {
        lock (_storages) _storages.ForEach(s => s.Dispose());
        await _database.DisposeAsync();
    }
}

/// <summary>Hangfire's reference in-memory storage: one instance, shared by the "servers" of a test.</summary>
public sealed class InMemoryConcurrencyFixture : ConcurrencyStorageFixture
{
    private readonly InMemoryStorage _storage = new(new InMemoryStorageOptions { IdType = InMemoryStorageIdType.Long });

    public override JobStorage CreateStorage() => _storage;

    /// <summary>Ids are 1, 2, 3, … in creation order, so the rows are found by probing ids past the last one seen.</summary>
    public override long CountJobRows()
    {
        using var connection = _storage.GetConnection();
        long count = 0;
        for (long id = 1, misses = 0; misses < 100; id++)
        {
            if (connection.GetJobData(id.ToString(System.Globalization.CultureInfo.InvariantCulture)) is null) misses++;
            else { count++; misses = 0; }
        }
        return count;
    }

    public override Task DisposeAsync()
    {
        _storage.Dispose();
        return Task.CompletedTask;
    }
}
