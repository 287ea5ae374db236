using Dapper;
using JobServer.Storage;
using JobServer.Storage.MySql;
using JobServer.Tests.Infrastructure;
using MySql.Data.MySqlClient;

namespace JobServer.Tests.Storage;

public sealed class MySqlDbTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public void InOneTransaction_AllStatementsSucceed_CommitsAndReturnsTheSelectedValue()
    {
        database.Reset();
        var db = database.CreateDb();

        var value = db.InOneTransaction("INSERT INTO js_stat (name, value) VALUES ('one-trip', 41); SELECT value + 1 FROM js_stat WHERE name = 'one-trip';", new { }, r => r.ReadSingle<long>());

        Assert.Equal(42, value);
        using var connection = database.Open();
        Assert.Equal(41, connection.ExecuteScalar<long>("SELECT value FROM js_stat WHERE name = 'one-trip'"));
    }

    [Fact]
    public void InOneTransaction_LaterStatementFails_RollsBackTheEarlierOnes()
    {
        database.Reset();
        var db = database.CreateDb(database.ConnectionString + ";Maximum Pool Size=1");

        Assert.Throws<MySqlException>(() => db.InOneTransaction("INSERT INTO js_stat (name, value) VALUES ('half', 1); SELECT value FROM no_such_table;", new { }, r => r.ReadSingle<long>()));

        using var connection = database.Open();
        Assert.Equal(0, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM js_stat WHERE name = 'half'"));

        // The single pooled connection went back without an open transaction: this insert is committed on its own.
        db.Run(c => c.Execute("INSERT INTO js_stat (name, value) VALUES ('after', 1)"));
        Assert.Equal(1, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM js_stat WHERE name = 'after'"));
    }

    [Fact]
    public void InOneTransaction_StatementAfterTheLastReadFails_ThrowsAndRollsBack()
    {
        database.Reset();
        var db = database.CreateDb(database.ConnectionString + ";Maximum Pool Size=1");

        // The caller has read everything it wanted before the failing statement runs: the failure must still surface.
        Assert.Throws<MySqlException>(() => db.InOneTransaction(
            "INSERT INTO js_stat (name, value) VALUES ('tail', 1); SELECT 7; INSERT INTO no_such_table VALUES (1);", new { }, r => r.ReadSingle<long>()));

        using var connection = database.Open();
        Assert.Equal(0, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM js_stat WHERE name = 'tail'"));
    }

    [Fact]
    public void Run_ConnectionBreaksAfterAWrite_ThrowsUnavailableAndDoesNotRunTheWriteAgain()
    {
        database.Reset();
        var db = database.CreateDb();

        // The write commits (autocommit), then the connection dies: re-running the operation would write twice.
        var failure = Assert.Throws<StorageUnavailableException>(() => db.Run(connection =>
        {
            connection.Execute("INSERT INTO js_stat (name, value) VALUES ('runs', 1) ON DUPLICATE KEY UPDATE value = value + 1");
            connection.Execute("KILL CONNECTION_ID()");
        }));

        Assert.IsType<MySqlException>(failure.InnerException);
        using var connection = database.Open();
        Assert.Equal(1, connection.ExecuteScalar<long>("SELECT value FROM js_stat WHERE name = 'runs'"));
        db.Run(c => c.Execute("UPDATE js_stat SET value = value + 1 WHERE name = 'runs'"));
        Assert.Equal(2, connection.ExecuteScalar<long>("SELECT value FROM js_stat WHERE name = 'runs'"));
    }

    [Fact]
    public void HeldConnection_KeepsOneConnection_AndReplacesItAfterItBreaks()
    {
        database.Reset();
        var db = database.CreateDb();
        using var held = new HeldConnection(db);

        var first = held.Run(c => c.ExecuteScalar<long>("SELECT CONNECTION_ID()"));
        Assert.Equal(first, held.Run(c => c.ExecuteScalar<long>("SELECT CONNECTION_ID()")));

        Assert.Throws<StorageUnavailableException>(() => held.Run(c => c.Execute("KILL CONNECTION_ID()")));

        var second = held.Run(c => c.ExecuteScalar<long>("SELECT CONNECTION_ID()"));
        Assert.NotEqual(first, second);
        Assert.Equal(second, held.Run(c => c.ExecuteScalar<long>("SELECT CONNECTION_ID()")));
    }
}
