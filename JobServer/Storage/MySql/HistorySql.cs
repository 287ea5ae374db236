namespace JobServer.Storage.MySql;

/// <summary>Statements shared by every transition: the history row and the counter delta rows.</summary>
internal static class HistorySql
{
    public const string InsertOne = """
        INSERT INTO js_job_history (job_id, state, at, server_id, reason, exception_type, exception_message, exception_details)
        VALUES (@id, @state, @now, @serverId, @reason, @exceptionType, @exceptionMessage, @exceptionDetails)
        """;

    public const string InsertForJobs = """
        INSERT INTO js_job_history (job_id, state, at, server_id, reason)
        SELECT id, @state, @now, @serverId, @reason
        FROM js_job
        WHERE id IN @ids
        """;

    /// <summary>Followed by one <c>(@nI, @dI)</c> tuple per counter, all parameters.</summary>
    public const string InsertCounterDeltasPrefix = "INSERT INTO js_stat_delta (name, delta) VALUES ";

    public const string InsertCounterDelta = """
        INSERT INTO js_stat_delta (name, delta)
        VALUES (@name, @delta)
        """;
}
