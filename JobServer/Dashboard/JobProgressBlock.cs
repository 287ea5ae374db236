using System.Net;
using Hangfire.Dashboard;
using JobServer.Jobs;

namespace JobServer.Dashboard;

/// <summary>The progress block of the job details page; empty for jobs that report no progress.</summary>
internal static class JobProgressBlock
{
    public const string ScriptResource = "JobServer.Dashboard.job-progress.js";

    public static NonEscapedString Render(JobDetailsRendererDto dto)
    {
        var properties = dto.JobDetails.Properties;
        if (properties is null || !properties.TryGetValue(JobProgress.ParameterName, out var value)) return new NonEscapedString("");
        if (JobProgress.Parse(value) is not { } progress) return new NonEscapedString("");
        var url = WebUtility.HtmlEncode(dto.Page.Url.To(JobProgressDashboard.RoutePrefix + dto.JobId));
        // Numbers only go into the markup; the URL is encoded. The script replaces width and text while the job runs.
        return new NonEscapedString($"""
            <div class="jobserver-progress" data-progress-url="{url}">
              <h3>Progress</h3>
              <div class="progress">
                <div class="progress-bar" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow="{progress.Percent}" style="width: {progress.Percent}%; min-width: 4em;">{Describe(progress)}</div>
              </div>
            </div>
            """);
    }

    public static string Describe(JobProgress progress) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{progress.Done:N0} / {progress.Total:N0} ({progress.Percent} %)");
}
