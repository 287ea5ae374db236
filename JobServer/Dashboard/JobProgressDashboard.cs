using Hangfire;
using Hangfire.Dashboard;

namespace JobServer.Dashboard;

/// <summary>
/// Live progress on Hangfire's job details page: a progress bar for every job that reports progress (the
/// <c>progress</c> job parameter, see <see cref="Jobs.JobProgress"/>), refreshed every second while the job
/// runs by a small script polling <c>{dashboard}/jobs/progress/{id}</c>. Hangfire keeps renderers and routes in
/// process-wide registries, so registering twice does nothing.
/// </summary>
public static class JobProgressDashboard
{
    /// <summary>The dashboard route of the progress JSON, relative to the dashboard's path.</summary>
    public const string RoutePrefix = "/jobs/progress/";

    private static int _registered;

    public static IGlobalConfiguration UseJobProgressOnDashboard(this IGlobalConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (Interlocked.Exchange(ref _registered, 1) == 1) return configuration;
        DashboardRoutes.Routes.Add(RoutePrefix + "(?<JobId>\\d+)", new JobProgressDispatcher());
        return configuration
            .UseJobDetailsRenderer(10, JobProgressBlock.Render)
            .UseDashboardJavaScript(typeof(JobProgressDashboard).Assembly, JobProgressBlock.ScriptResource);
    }
}
