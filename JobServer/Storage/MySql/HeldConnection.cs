using MySql.Data.MySqlClient;

namespace JobServer.Storage.MySql;

/// <summary>
/// One connection kept open across the operations of one hot loop — the dispatcher's claims, the success writer's
/// batches — instead of a pool checkout per operation: MySql.Data pings every connection it hands out of its pool,
/// a round trip as costly as the claim itself. Operations on it are serialized. A connection idle for longer than
/// <see cref="PingAfterIdle"/> is pinged before use (MariaDB may have restarted or closed it meanwhile). A connection
/// that breaks is dropped and its failure surfaces as <see cref="StorageUnavailableException"/> — not retried, since
/// the work may have committed — and the next operation opens a fresh one.
/// </summary>
internal sealed class HeldConnection(MySqlDb db) : IDisposable
{
    internal static readonly TimeSpan PingAfterIdle = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private MySqlConnection? _connection;
    private long _lastUsedMs;

    public T Run<T>(Func<MySqlConnection, T> operation)
    {
        lock (_gate)
        {
            var connection = Current();
            try
            {
                return operation(connection);
            }
            catch (Exception ex) when (MySqlDb.IsConnectionFailure(ex))
            {
                Drop();
                throw db.BrokenMidOperation(ex);
            }
            finally
            {
                _lastUsedMs = Environment.TickCount64;
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            Drop();
        }
    }

    private MySqlConnection Current()
    {
        if (_connection is not null && Environment.TickCount64 - _lastUsedMs > PingAfterIdle.TotalMilliseconds && !_connection.Ping())
        {
            Drop();
        }

        return _connection ??= db.OpenConnection();
    }

    private void Drop()
    {
        _connection?.Dispose();
        _connection = null;
    }
}
