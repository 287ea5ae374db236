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

    /// <summary>Rows per project for the first <paramref name="maxProjects"/> projects by name, each through
    /// <c>selectCountData</c>, whether there are more, and the rows of every project.</summary>
    public static async Task<(IReadOnlyList<(string Project, long Rows)> Projects, bool More, long Total)> CountRowsPerProjectAsync(
        this ApiDataDatabase database, int maxProjects, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var names = (await connection.QueryAsync<string>(
            new CommandDefinition(BulkInsertSql.ListProjects, new { limit = maxProjects + 1 }, cancellationToken: cancellationToken)).ConfigureAwait(false)).ToList();
        var projects = new List<(string, long)>();
        foreach (var name in names.Take(maxProjects))
        {
            projects.Add((name, await CountAsync(connection, name, cancellationToken).ConfigureAwait(false)));
        }

        return (projects, names.Count > maxProjects, await CountAsync(connection, null, cancellationToken).ConfigureAwait(false));
    }

    private static Task<long> CountAsync(MySqlConnector.MySqlConnection connection, string? project, CancellationToken cancellationToken) =>
        connection.ExecuteScalarAsync<long>(new CommandDefinition(BulkInsertSql.CountProjectRows, new { project }, commandTimeout: 600, cancellationToken: cancellationToken));
}
