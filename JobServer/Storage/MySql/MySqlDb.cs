using System.Data;
using Dapper;
using System.Net.Sockets;
using MySql.Data.MySqlClient;

namespace JobServer.Storage.MySql;

/// <summary>
/// Runs one storage operation on one pooled connection, healing the two failures a long-lived server meets:
/// pooled connections that died with a MariaDB restart or wait_timeout (a failed connect clears the pool and is
/// retried once), and deadlocks / lock-wait timeouts between servers (the transaction is retried from the start).
/// When the database is really gone — or a connection breaks mid-operation, when the work may or may not have been
/// committed — throws <see cref="StorageUnavailableException"/>.
/// MySql.Data 8.0.16 is synchronous underneath its *Async methods, so this API is honest and synchronous.
/// </summary>
internal sealed class MySqlDb(MySqlConnectionFactory connections)
{
    private const int DeadlockRetries = 5;

    public string ConnectionString => connections.ConnectionString;

    public T Run<T>(Func<MySqlConnection, T> operation)
    {
        using var connection = OpenConnection();
        try
        {
            return operation(connection);
        }
        catch (Exception ex) when (IsConnectionFailure(ex))
        {
            throw BrokenMidOperation(ex);
        }
    }

    /// <summary>
    /// What a connection that broke during an operation becomes: the pool is cleared (its siblings are likely dead
    /// too) and the caller sees the outage. Not retried: the connection may have broken after COMMIT reached the
    /// server, and running the operation again could write twice (a second copy of a job).
    /// </summary>
    internal StorageUnavailableException BrokenMidOperation(Exception failure)
    {
        ClearPool();
        return new StorageUnavailableException("The job database connection failed: " + failure.Message, failure);
    }

    /// <summary>Opens a pooled connection (the driver pings a pooled one before handing it out). A failure to connect
    /// wrote nothing, so it is retried once on a fresh pool: after a MariaDB restart every pooled connection is dead.</summary>
    internal MySqlConnection OpenConnection()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return connections.Open();
            }
            catch (Exception ex) when (IsConnectionFailure(ex))
            {
                ClearPool();
                if (attempt >= 2)
                {
                    throw new StorageUnavailableException("The job database is unavailable: " + ex.Message, ex);
                }
            }
        }
    }

    private void ClearPool()
    {
        using var poolKey = new MySqlConnection(connections.ConnectionString);
        MySqlConnection.ClearPool(poolKey);
    }

    public void Run(Action<MySqlConnection> operation) => Run(c => { operation(c); return 0; });

    /// <summary>Runs <paramref name="operation"/> in a READ COMMITTED transaction (no gap locks, so enqueues never
    /// wait behind a fetch), retrying it whole on deadlock. The operation must be safe to re-run.</summary>
    public T InTransaction<T>(Func<MySqlConnection, MySqlTransaction, T> operation)
    {
        return Run(connection =>
        {
            for (var attempt = 1; ; attempt++)
            {
                using var transaction = connection.BeginTransaction(IsolationLevel.ReadCommitted);
                try
                {
                    var result = operation(connection, transaction);
                    transaction.Commit();
                    return result;
                }
                catch (MySqlException ex) when (IsDeadlock(ex) && attempt < DeadlockRetries)
                {
                    SafeRollback(transaction);
                    Thread.Sleep(Random.Shared.Next(1, 5 * attempt));
                }
                catch
                {
                    SafeRollback(transaction);
                    throw;
                }
            }
        });
    }

    public void InTransaction(Action<MySqlConnection, MySqlTransaction> operation) =>
        InTransaction((c, t) => { operation(c, t); return 0; });

    /// <summary>Opens a READ COMMITTED transaction; sent at the head of an operation's first command.</summary>
    public const string Begin = "SET TRANSACTION ISOLATION LEVEL READ COMMITTED;\nSTART TRANSACTION;\n";

    /// <summary>Ends the transaction; sent at the tail of an operation's last command.</summary>
    public const string Commit = "\nCOMMIT;";

    /// <summary>Abandons a statement transaction that turned out to need another path.</summary>
    public const string Rollback = "ROLLBACK;";

    /// <summary>
    /// Runs a short transaction whose statements need no decision between them as ONE command — <see cref="Begin"/>,
    /// the statements, <see cref="Commit"/> — so it costs one round trip instead of four. <paramref name="read"/>
    /// reads what the statements select; every result, COMMIT's included, is consumed before this returns, so a
    /// failure anywhere surfaces here.
    /// </summary>
    public T InOneTransaction<T>(string statements, object parameters, Func<SqlMapper.GridReader, T> read) =>
        InStatementTransaction(connection =>
        {
            using var results = connection.QueryMultiple(Begin + statements + Commit, parameters);
            var value = read(results);
            while (!results.IsConsumed)
            {
                results.Read();
            }

            return value;
        });

    /// <summary>
    /// Runs an operation that opens and ends its transaction in its own commands: <see cref="Begin"/> at the head of
    /// the first, <see cref="Commit"/> at the tail of the last, so neither costs a round trip of its own. On any
    /// failure the transaction is rolled back before the connection returns to the pool; deadlocks are retried whole.
    /// </summary>
    public T InStatementTransaction<T>(Func<MySqlConnection, T> operation) =>
        Run(connection => RetryingDeadlocks(connection, operation));

    /// <summary><see cref="InStatementTransaction{T}(Func{MySqlConnection, T})"/> on a connection held across
    /// operations by one hot loop (see <see cref="HeldConnection"/>).</summary>
    public T InStatementTransaction<T>(HeldConnection held, Func<MySqlConnection, T> operation) =>
        held.Run(connection => RetryingDeadlocks(connection, operation));

    private static T RetryingDeadlocks<T>(MySqlConnection connection, Func<MySqlConnection, T> operation)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return operation(connection);
            }
            catch (MySqlException ex) when (IsDeadlock(ex) && attempt < DeadlockRetries)
            {
                SafeRollback(connection);
                Thread.Sleep(Random.Shared.Next(1, 5 * attempt));
            }
            catch
            {
                SafeRollback(connection);
                throw;
            }
        }
    }

    internal static bool IsDeadlock(MySqlException ex) => ex.Number is 1213 or 1205;

    internal static bool IsConnectionFailure(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SocketException or EndOfStreamException or IOException:
                    return true;
                case MySqlException my when my.Number is 1042 or 2002 or 2003 or 2006 or 2013 or 1053 or 1927 or 1040
                                       || (my.Number == 0 && my.Message.Contains("connect", StringComparison.OrdinalIgnoreCase)):
                    return true;
                case InvalidOperationException io when io.Message.Contains("connection", StringComparison.OrdinalIgnoreCase)
                                                   && io.Message.Contains("open", StringComparison.OrdinalIgnoreCase):
                    return true;
            }
        }

        return false;
    }

    private static void SafeRollback(MySqlConnection connection)
    {
        try
        {
            connection.Execute("ROLLBACK");
        }
        catch (Exception)
        {
            // The connection is already broken; the server rolls the transaction back when it notices.
        }
    }

    private static void SafeRollback(MySqlTransaction transaction)
    {
        try
        {
            transaction.Rollback();
        }
        catch (Exception)
        {
            // The connection is already broken; the server rolls the transaction back when it notices.
        }
    }
}
