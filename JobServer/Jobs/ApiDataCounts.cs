using Dapper;

namespace JobServer.Jobs;

/// <summary>Rows in <c>api_data</c>, counted the way the user counts them: <c>CALL selectCountData(project)</c>.</summary>
public static class ApiDataCounts
{
    /// <summary>Rows of <paramref name="project"/>, or of every project when it is null.</summary>
    public static async Task<long> CountRowsAsync(this ApiDataDatabase database, string? project, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>(
            new CommandDefinition(BulkInsertSql.CountProjectRows, new { project }, commandTimeout: 600, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }
}
