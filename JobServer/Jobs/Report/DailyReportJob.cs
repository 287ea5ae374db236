using JobServer.Storage;

namespace JobServer.Jobs.Report;

/// <summary>
/// The shipped recurring example: row counts per project in <c>api_data</c>, stored as the job's result, so the
/// dashboard and <c>GET /api/jobs/{id}</c> show the report. Defined in appsettings.Development.json to run daily.
/// </summary>
public sealed class DailyReportJob(IApiDataStore store, TimeProvider time) : IJob<DailyReportArgs>
{
    public const string TypeName = "report";

    public Task ExecuteAsync(DailyReportArgs args, JobContext context)
    {
        var projects = store.CountRowsByProject();
        context.Result = new
        {
            generatedAt = time.GetUtcNow().UtcDateTime,
            projects = projects.Select(p => new { project = p.Project, rows = p.Rows }),
            totalRows = projects.Sum(p => p.Rows),
        };
        return Task.CompletedTask;
    }
}

/// <summary>The report takes no arguments.</summary>
public sealed class DailyReportArgs;
