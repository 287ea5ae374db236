using System.ComponentModel;
using Dapper;
using Hangfire;

namespace JobServer.Jobs;

/// <summary>
/// The shipped recurring example: rows per project in <c>api_data</c>, returned as the job's result so the dashboard
/// shows the report in the Succeeded state. Read-only, so retrying it after a lost connection is harmless.
/// </summary>
public sealed class DailyReportJob(ApiDataDatabase database, TimeProvider time)
{
    public const string TypeName = "report";

    /// <summary>The recurring job id <see cref="AddOrUpdateDaily"/> defines.</summary>
    public const string RecurringJobId = "daily-report";

    // Grouped by the bytes: the column pads with spaces when it compares, which would merge 'p1' and 'p1 '. Within a
    // group every value is the same, so MIN is that value. Reads the project index, not the table.
    private const string CountRowsByProject = """
        SELECT MIN(project) AS Project, COUNT(*) AS `Rows`
        FROM api_data
        GROUP BY CAST(project AS BINARY)
        ORDER BY Project
        """;

    [DisplayName("daily report")]
    [AutomaticRetry(Attempts = 3)]
    public async Task<DailyReport> Run(ReportArguments args, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var projects = (await connection.QueryAsync<ProjectRows>(
            new CommandDefinition(CountRowsByProject, commandTimeout: 600, cancellationToken: cancellationToken)).ConfigureAwait(false)).ToList();
        return new DailyReport(time.GetUtcNow().UtcDateTime, projects, projects.Sum(p => p.Rows));
    }

    /// <summary>Defines (or redefines) the report as a recurring job; every server may call this at start, Hangfire keeps
    /// one definition and fires each occurrence once. Default schedule: daily at midnight UTC.</summary>
    public static void AddOrUpdateDaily(IRecurringJobManager recurring, string? cronExpression = null) =>
        recurring.AddOrUpdate<DailyReportJob>(RecurringJobId, x => x.Run(new ReportArguments(), CancellationToken.None), cronExpression ?? Cron.Daily());
}

/// <summary>Stored in the Succeeded state.</summary>
public sealed record DailyReport(DateTime GeneratedAt, IReadOnlyList<ProjectRows> Projects, long TotalRows);

/// <summary>One project's rows in <c>api_data</c>.</summary>
public sealed record ProjectRows(string Project, long Rows);
