using System.Text.Json;
using Hangfire.Dashboard;
using Hangfire.States;
using JobServer.Jobs;

namespace JobServer.Dashboard;

/// <summary>Answers the progress poll: <c>{"done","total","percent","text","running"}</c>, or 404 for a job without progress.</summary>
internal sealed class JobProgressDispatcher : IDashboardDispatcher
{
    public async Task Dispatch(DashboardContext context)
    {
        var jobId = context.UriMatch.Groups["JobId"].Value;
        using var connection = context.Storage.GetConnection();
        var progress = JobProgress.Parse(connection.GetJobParameter(jobId, JobProgress.ParameterName));
        context.Response.ContentType = "application/json";
        if (progress is null)
        {
            context.Response.StatusCode = 404;
            await context.Response.WriteAsync("""{"error":"This job reports no progress."}""");
            return;
        }
        var state = connection.GetStateData(jobId)?.Name;
        var running = state == ProcessingState.StateName || state == EnqueuedState.StateName;
        await context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            done = progress.Done,
            total = progress.Total,
            percent = progress.Percent,
            text = JobProgressBlock.Describe(progress),
            running,
        }));
    }
}
