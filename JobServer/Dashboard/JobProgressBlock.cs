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
        var url = dto.Page.Url.To(JobProgressDashboard.RoutePrefix + dto.JobId);
        return new NonEscapedString($"""
            <div class="jobserver-progress" data-progress-url="{WebUtility.HtmlEncode(url)}">
              <h3>Progress</h3>
              {Bar(progress)}
            </div>
            """);
    }

    /// <summary>The bar and, below it, the figures (inside the bar they would be cut off while it is narrow). Numbers
    /// only go into the markup; the script replaces width, value and text while the job runs.</summary>
    public static string Bar(JobProgress progress)
    {
        var text = WebUtility.HtmlEncode(Describe(progress));
        return $"""
            <div class="progress" style="margin-bottom: 4px;">
              <div class="progress-bar" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow="{progress.Percent}" aria-valuetext="{text}" style="width: {progress.Percent}%;"></div>
            </div>
            <div class="jobserver-progress-text text-muted">{text}</div>
            """;
    }

    public static string Describe(JobProgress progress) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{progress.Done:N0} / {progress.Total:N0} ({progress.Percent} %)");
}
