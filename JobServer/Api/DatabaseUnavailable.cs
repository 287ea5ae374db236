using MySqlConnector;

namespace JobServer.Api;

/// <summary>Whether an exception means "MySQL cannot be reached right now" (worth a 503 and a retry) rather than a bug.
/// Hangfire wraps storage errors (<c>BackgroundJobClientException</c>), so the whole chain is searched. A connection
/// the server dropped mid-command (it is shutting down, or went away) counts too: the reliability outage test saw a
/// 500 for it ("Failed to read the result set" over an end of stream) while MariaDB was stopping.</summary>
internal static class DatabaseUnavailable
{
    public static bool IsCause(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is MySqlException mysql && (mysql.IsTransient || mysql.ErrorCode is MySqlErrorCode.UnableToConnectToHost or MySqlErrorCode.CommandTimeoutExpired
                    or MySqlErrorCode.ServerShutdown or MySqlErrorCode.NormalShutdown or MySqlErrorCode.QueryInterrupted))
            {
                return true;
            }

            if (current is MySqlEndOfStreamException or IOException or System.Net.Sockets.SocketException)
            {
                return true;
            }

            if (current is AggregateException aggregate)
            {
                return aggregate.InnerExceptions.Any(IsCause);
            }
        }

        return false;
    }
}
