using MySqlConnector;

namespace JobServer.Storage.MySql;

/// <summary>
/// The storage's one way to the database: pooled connections (MySqlConnector replaces broken ones), the command
/// timeout, and a record of the last time the database could not be reached. Recovery reads that record: a process
/// that has just lived through an outage has not seen its peers' keep-alives either, so it must not declare their jobs
/// abandoned until it has been connected for a whole invisibility timeout.
/// <para>
/// Pooled sessions are handed out without COM_RESET_CONNECTION: the reset and the character-set statement that follows
/// it were a third of the statements the server ran per job, and half its CPU. That is safe because a session goes back
/// to the pool only clean — every transaction committed or rolled back, every GET_LOCK released — and a session whose
/// state is unknown (a ROLLBACK or RELEASE_LOCK that failed) is discarded with the pool's idle sessions instead. With no
/// reset there is no liveness check on open either, so a connection failure clears the pool: sessions opened before an
/// outage are not handed out one by one to fail afterwards.
/// </para>
/// </summary>
internal sealed class MySqlDatabase
{
    private readonly TimeProvider _time;
    private long _reachableSinceTicks;

    public MySqlDatabase(string connectionString, MySqlStorageOptions options, TimeProvider time)
    {
        var builder = new MySqlConnectionStringBuilder(connectionString);
        if (string.IsNullOrWhiteSpace(builder.Database))
            throw new ArgumentException("The connection string names no database (Database=…).", nameof(connectionString));
        // Heartbeat and fenced updates read "rows matched", not "rows changed": a heartbeat in the same microsecond
        // as the last one still proves the server row exists.
        builder.UseAffectedRows = false;
        // DATETIME(6) columns hold UTC; values read back say so, as Hangfire expects.
        builder.DateTimeKind = MySqlDateTimeKind.Utc;
        builder.ConnectionReset = options.ResetPooledSessions;
        ConnectionString = builder.ConnectionString;
        DatabaseName = builder.Database;
        Description = $"MySQL {builder.Server}:{builder.Port}/{builder.Database}";
        Options = options;
        _time = time;
        _reachableSinceTicks = time.GetUtcNow().UtcTicks;
    }

    public string ConnectionString { get; }

    public string DatabaseName { get; }

    /// <summary>Server and database without credentials, for logs and the dashboard.</summary>
    public string Description { get; }

    public MySqlStorageOptions Options { get; }

    public int CommandTimeoutSeconds => (int)Math.Ceiling(Options.CommandTimeout.TotalSeconds);

    /// <summary>How long the database has answered every call without a connection failure.</summary>
    public TimeSpan ReachableFor => _time.GetUtcNow() - new DateTimeOffset(Interlocked.Read(ref _reachableSinceTicks), TimeSpan.Zero);

    public MySqlConnection Open()
    {
        var connection = new MySqlConnection(ConnectionString);
        try
        {
            connection.Open();
            return connection;
        }
        catch (Exception ex)
        {
            connection.Dispose();
            NoteFailure(ex);
            throw;
        }
    }

    public T Use<T>(Func<MySqlConnection, T> operation)
    {
        using var connection = Open();
        try
        {
            return operation(connection);
        }
        catch (Exception ex)
        {
            // A statement that failed inside a START TRANSACTION … COMMIT text leaves the transaction open.
            if (!NoteFailure(ex)) RollbackOrDiscard(connection);
            throw;
        }
    }

    public void Use(Action<MySqlConnection> operation) => Use(connection =>
    {
        operation(connection);
        return true;
    });

    /// <summary>Records an outage when <paramref name="ex"/> means the database was unreachable (and returns true):
    /// the pool's idle sessions are dropped then, since they most likely died with the same outage.</summary>
    public bool NoteFailure(Exception ex)
    {
        if (!IsConnectionFailure(ex)) return false;
        Interlocked.Exchange(ref _reachableSinceTicks, _time.GetUtcNow().UtcTicks);
        using var any = new MySqlConnection(ConnectionString);
        MySqlConnection.ClearPool(any);
        return true;
    }

    /// <summary>Ends whatever transaction <paramref name="connection"/> may have open, so it returns to the pool clean;
    /// when even that fails, the session is not pooled again.</summary>
    public static void RollbackOrDiscard(MySqlConnection connection)
    {
        if (connection.State != System.Data.ConnectionState.Open) return;
        try
        {
            using var rollback = new MySqlCommand("ROLLBACK", connection);
            rollback.ExecuteNonQuery();
        }
        catch (Exception)
        {
            Discard(connection);
        }
    }

    /// <summary>Keeps a session whose state is unknown (an open transaction, a lock) out of the pool: MySqlConnector
    /// closes the idle sessions and does not take back the ones in use, this one included.</summary>
    public static void Discard(MySqlConnection connection) => MySqlConnection.ClearPool(connection);

    public static bool IsConnectionFailure(Exception ex) => ex switch
    {
        MySqlException { ErrorCode: MySqlErrorCode.UnableToConnectToHost } => true,
        MySqlException { ErrorCode: MySqlErrorCode.CommandTimeoutExpired } => false,
        MySqlException mysql when mysql.InnerException is System.IO.IOException or System.Net.Sockets.SocketException => true,
        MySqlException { Number: 0 } => true,
        MySqlException mysql => mysql.ErrorCode is MySqlErrorCode.ServerShutdown or MySqlErrorCode.QueryInterrupted or MySqlErrorCode.UnableToConnectToHost,
        InvalidOperationException => ex.Message.Contains("connection", StringComparison.OrdinalIgnoreCase),
        System.IO.IOException or System.Net.Sockets.SocketException or EndOfStreamException => true,
        _ => false,
    };

    public static bool IsDeadlock(Exception ex) => ex is MySqlException { ErrorCode: MySqlErrorCode.LockDeadlock };
}
