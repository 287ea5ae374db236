using Dapper;
using JobServer.Engine.States;
using MySql.Data.MySqlClient;

namespace JobServer.Storage.MySql;

/// <summary>Appends one row to a job's state history, inside the transaction that makes the transition.</summary>
internal static class JobHistory
{
    public static void Append(
        MySqlConnection connection,
        MySqlTransaction transaction,
        long id,
        JobState state,
        DateTime now,
        string? serverId,
        string? reason,
        JobFailure? failure = null) =>
        connection.Execute(
            HistorySql.InsertOne,
            new
            {
                id,
                state = state.ToString(),
                now,
                serverId,
                reason,
                exceptionType = failure?.ExceptionType,
                exceptionMessage = failure?.Message,
                exceptionDetails = failure?.Details,
            },
            transaction);
}
