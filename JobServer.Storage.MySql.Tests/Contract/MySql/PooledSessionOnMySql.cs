using Dapper;
using Hangfire.Common;
using Hangfire.Storage;
using JobServer.Storage.MySql.Tests.Infrastructure;
using MySqlConnector;

namespace JobServer.Storage.MySql.Tests.Contract.MySql;

/// <summary>
/// The storage pools its sessions without COM_RESET_CONNECTION, so a session must go back to the pool clean. The
/// hazard these tests catch: a transaction left open on a pooled session is committed implicitly by the next
/// START TRANSACTION on it, making half-written work visible. A pool of one session makes "the next user" certain.
/// </summary>
public sealed class PooledSessionOnMySql(MySqlTestDatabase db) : MySqlContractStorage(db), IClassFixture<MySqlTestDatabase>
{
    [Fact]
    public void Commit_LaterStatementFails_EarlierWritesNeverBecomeVisible()
    {
        var storage = OneSessionStorage();
        var written = Unique("a");
        using var connection = storage.GetConnection();
        using (var failing = connection.CreateWriteTransaction())
        {
            // Sorted by key, the valid hash is written first; the second key is too long for its column.
            failing.SetRangeInHash(written, [new("field", "value")]);
            failing.SetRangeInHash("z" + new string('z', 200), [new("field", "value")]);
            Assert.ThrowsAny<MySqlException>(failing.Commit);
        }

        CommitSomething(storage);

        Assert.Equal(0L, Scalar<long>("SELECT COUNT(*) FROM hf_hash WHERE `key` = @written", new { written }));
    }

    [Fact]
    public void Dispose_JobCreatedInTransactionNeverCommitted_NeverAppears()
    {
        var storage = OneSessionStorage();
        string created;
        using (var connection = storage.GetConnection())
        using (var transaction = (JobStorageTransaction)connection.CreateWriteTransaction())
        {
            created = transaction.CreateJob(Job.FromExpression(() => Console.WriteLine("never")), new Dictionary<string, string>(), DateTime.UtcNow, TimeSpan.FromHours(1));
        }

        CommitSomething(storage);

        Assert.Equal(0L, Scalar<long>("SELECT COUNT(*) FROM hf_job WHERE id = @created", new { created = long.Parse(created, System.Globalization.CultureInfo.InvariantCulture) }));
    }

    [Fact]
    public void SessionsKilledWhileIdle_OneCallFails_TheNextOnesGetLiveSessions()
    {
        var storage = NewStorage(connectionString: Db.ConnectionString + ";Application Name=" + Unique("idle") + ";Maximum Pool Size=5");
        // Five sessions at once (each lock pins one), then all idle in the pool.
        var connections = Enumerable.Range(0, 5).Select(_ => storage.GetConnection()).ToList();
        var locks = connections.Select(c => c.AcquireDistributedLock(Unique("pin"), TimeSpan.FromSeconds(1))).ToList();
        locks.ForEach(l => l.Dispose());
        connections.ForEach(c => c.Dispose());

        using (var killer = Db.Open())
        {
            var sessions = killer.Query<long>("SELECT ID FROM information_schema.PROCESSLIST WHERE DB = @db AND ID <> CONNECTION_ID()", new { db = Db.Name }).ToList();
            Assert.True(sessions.Count >= 5, $"expected the five pooled sessions, found {sessions.Count}");
            foreach (var id in sessions) killer.Execute($"KILL {id}");
        }

        var failures = 0;
        for (var call = 0; call < 3; call++)
        {
            try
            {
                using var connection = storage.GetConnection();
                connection.GetAllItemsFromSet("any");
            }
            catch (Exception ex) when (ex is MySqlException or InvalidOperationException or IOException)
            {
                failures++;
            }
        }

        // Without a liveness check on open, the first call finds a dead session; that failure drops the others.
        Assert.True(failures <= 1, $"{failures} of 3 calls failed on sessions killed while idle");
    }

    private MySqlStorage OneSessionStorage() =>
        // A pool of its own (the application name differs per test) holding a single session.
        NewStorage(connectionString: Db.ConnectionString + ";Application Name=" + Unique("pool") + ";Maximum Pool Size=1");

    private static void CommitSomething(MySqlStorage storage)
    {
        using var connection = storage.GetConnection();
        using var transaction = connection.CreateWriteTransaction();
        transaction.AddToSet(Unique("next"), "value");
        transaction.Commit();
    }
}
