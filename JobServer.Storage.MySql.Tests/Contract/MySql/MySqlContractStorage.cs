using Dapper;
using JobServer.Storage.MySql.Tests.Infrastructure;

namespace JobServer.Storage.MySql.Tests.Contract.MySql;

/// <summary>What the MySQL-only tests share: storages on the class's database, fast recovery options, raw SQL.</summary>
public abstract class MySqlContractStorage(MySqlTestDatabase db) : IDisposable
{
    private readonly List<IDisposable> _owned = [];

    protected MySqlTestDatabase Db { get; } = db;

    /// <summary>
    /// Timeouts small enough that recovery can be watched within a test. Recovery does nothing until the storage has
    /// reached the database for a whole InvisibilityTimeout, so tests poll for it with a deadline.
    /// </summary>
    protected static MySqlStorageOptions FastRecovery() => new()
    {
        InvisibilityTimeout = TimeSpan.FromMilliseconds(300),
        KeepAliveInterval = TimeSpan.FromMilliseconds(100),
        MinQueuePollInterval = TimeSpan.FromMilliseconds(10),
        QueuePollInterval = TimeSpan.FromMilliseconds(100),
    };

    protected MySqlStorage NewStorage(MySqlStorageOptions? options = null, TimeProvider? time = null, string? connectionString = null) =>
        Own(new MySqlStorage(connectionString ?? Db.ConnectionString, options ?? new MySqlStorageOptions(), time ?? TimeProvider.System));

    protected T Own<T>(T disposable) where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    protected int Sql(string sql, object? args = null)
    {
        using var connection = Db.Open();
        return connection.Execute(sql, args);
    }

    protected T? Scalar<T>(string sql, object? args = null)
    {
        using var connection = Db.Open();
        return connection.ExecuteScalar<T>(sql, args);
    }

    protected static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 17)];

    public void Dispose()
    {
        for (var i = _owned.Count - 1; i >= 0; i--) _owned[i].Dispose();
        GC.SuppressFinalize(this);
    }
}
