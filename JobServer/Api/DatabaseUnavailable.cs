using MySqlConnector;

namespace JobServer.Api;

/// <summary>Whether an exception means "MySQL cannot be reached right now" (worth a 503 and a retry) rather than a bug.
/// Hangfire wraps storage errors (<c>BackgroundJobClientException</c>), so the whole chain is searched.</summary>
internal static class DatabaseUnavailable
{
    public static bool IsCause(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is MySqlException mysql && (mysql.IsTransient || mysql.ErrorCode is MySqlErrorCode.UnableToConnectToHost or MySqlErrorCode.CommandTimeoutExpired))
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
