using Dapper;
using Hangfire.Storage;
using MySqlConnector;

namespace JobServer.Storage.MySql.Locks;

/// <summary>
/// A Hangfire distributed lock on MySQL's GET_LOCK: exclusive across sessions, held by the session (not by a
/// transaction), and released by the server the moment that session's connection dies, so a killed process never
/// leaves a stale lock behind. The caller keeps the connection open until disposal.
/// </summary>
internal sealed class MySqlDistributedLock : IDisposable
{
    private const string AcquireSql = "SELECT GET_LOCK(@name, @seconds)";
    private const string ReleaseSql = "SELECT RELEASE_LOCK(@name)";

    private readonly MySqlConnection _connection;
    private readonly string _name;
    private bool _released;

    private MySqlDistributedLock(MySqlConnection connection, string name)
    {
        _connection = connection;
        _name = name;
    }

    /// <summary>Waits up to <paramref name="timeout"/>; throws <see cref="DistributedLockTimeoutException"/> then.</summary>
    public static MySqlDistributedLock Acquire(MySqlConnection connection, MySqlDatabase database, string resource, TimeSpan timeout) =>
        AcquireThenRead<object>(connection, database, resource, timeout, null, out _);

    /// <summary>
    /// As <see cref="Acquire"/>, and in the same round trip reads what the caller will need under the lock: the statements
    /// of <paramref name="read"/> run after GET_LOCK returns, so once it granted the lock they read as its holder.
    /// </summary>
    public static MySqlDistributedLock AcquireThenRead<T>(MySqlConnection connection, MySqlDatabase database, string resource, TimeSpan timeout,
        LockedRead<T>? read, out T? result)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var name = LockName.For(database.DatabaseName, resource);
        var seconds = Math.Max(0, timeout.TotalSeconds);
        long? granted;
        result = default;
        try
        {
            var commandTimeout = (int)Math.Ceiling(seconds) + database.CommandTimeoutSeconds;
            if (read is null)
            {
                granted = connection.ExecuteScalar<long?>(AcquireSql, new { name, seconds }, commandTimeout: commandTimeout);
            }
            else
            {
                var args = new DynamicParameters(read.Args);
                args.Add("name", name);
                args.Add("seconds", seconds);
                using var results = connection.QueryMultiple(AcquireSql + ";\n" + read.Sql, args, commandTimeout: commandTimeout);
                granted = results.ReadSingle<long?>();
                if (granted == 1) result = read.Read(results);
            }
        }
        catch (MySqlException ex) when (MySqlDatabase.IsDeadlock(ex) || ex.ErrorCode == MySqlErrorCode.UserLockDeadlock)
        {
            // MySQL detects a cycle of sessions waiting on each other's user locks; to Hangfire that is a lock not
            // obtained in time, which its callers already handle.
            throw new DistributedLockTimeoutException(resource);
        }
        if (granted != 1) throw new DistributedLockTimeoutException(resource);
        return new MySqlDistributedLock(connection, name);
    }

    /// <summary>The name GET_LOCK holds on the server (the resource, prefixed with the database and hashed when long).</summary>
    public string Name => _name;

    /// <summary>The session holding the lock.</summary>
    public MySqlConnection Session => _connection;

    public bool IsReleased => _released;

    /// <summary>Released by a statement already sent on the session (the commit it guarded): Dispose sends nothing.</summary>
    public void MarkReleased() => _released = true;

    /// <summary>Statements to run right after the lock is granted (parameters other than @name and @seconds).</summary>
    public sealed record LockedRead<T>(string Sql, object Args, Func<SqlMapper.GridReader, T> Read);

    public void Dispose()
    {
        if (_released) return;
        _released = true;
        try
        {
            _connection.ExecuteScalar<long?>(ReleaseSql, new { name = _name });
        }
        catch (Exception ex) when (MySqlDatabase.IsConnectionFailure(ex))
        {
            // The session is gone, and with it the lock: nothing is left to release.
        }
        catch (Exception)
        {
            // Still held, as far as we know: a pooled session must not keep it, so this one is not pooled again.
            MySqlDatabase.Discard(_connection);
            throw;
        }
    }
}
