using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using JobServer.Concurrency;
using JobServer.Jobs;
using JobServer.Storage.MySql.Monitoring;
using Microsoft.AspNetCore.Http.HttpResults;

namespace JobServer.Api;

/// <summary><c>/api/jobs</c>: create, read, list, requeue and delete Hangfire jobs.</summary>
internal static class JobEndpoints
{
    public const int MaxPageSize = 500;

    /// <summary>Hangfire's states, as the API names them and filters by them.</summary>
    public static readonly string[] StateNames =
    [
        EnqueuedState.StateName, ScheduledState.StateName, AwaitingState.StateName, ProcessingState.StateName,
        SucceededState.StateName, FailedState.StateName, DeletedState.StateName,
    ];

    public static RouteGroupBuilder MapJobEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/jobs").WithTags("Jobs");
        group.MapPost("/", CreateAsync);
        group.MapJobBatchEndpoints();
        group.MapGet("/", List);
        // A string id, so "/api/jobs/abc" is the same 404 problem as a number that names no job.
        group.MapGet("/{id}", Get);
        group.MapPost("/{id}/requeue", Requeue);
        group.MapDelete("/{id}", Delete);
        return group;
    }

    private static Task<Results<Accepted<JobCreatedResponse>, ProblemHttpResult>> CreateAsync(
        HttpRequest request, JobStorage storage, IBackgroundJobClient client, TimeProvider time) =>
        JobCreationEndpoint.CreateAsync(request, storage, client, time, JobRequestReader.Read);

    private static Results<Ok<JobResponse>, ProblemHttpResult> Get(string id, JobStorage storage) =>
        JobReader.Get(storage, id) is { } job ? TypedResults.Ok(job) : ApiProblems.JobNotFound(id);

    private static Results<Ok<JobListResponse>, ProblemHttpResult> List(
        JobStorage storage, string? state, string? queue, string? type, string? page, string? pageSize)
    {
        string? stateName = null;
        if (state is not null)
        {
            stateName = StateNames.FirstOrDefault(n => string.Equals(n, state, StringComparison.OrdinalIgnoreCase));
            if (stateName is null)
            {
                return ApiProblems.InvalidField("state", $"must be one of {string.Join(", ", StateNames)}");
            }
        }

        if (queue is not null && !Hosting.ServerPoolOptions.IsValidQueueName(queue))
        {
            return ApiProblems.InvalidField("queue", "must be 1-50 characters of a-z, 0-9, '_' or '-'");
        }

        JobType? jobType = null;
        if (type is not null && !JobTypes.TryGet(type, out jobType))
        {
            return ApiProblems.InvalidField("type", $"must be one of: {string.Join(", ", JobTypes.All.Select(t => t.Name).Order(StringComparer.Ordinal))}");
        }

        if (!TryParseInt(page, 1, 1, 1_000_000, out var pageNumber))
        {
            return ApiProblems.InvalidField("page", "must be a whole number from 1 to 1000000");
        }

        if (!TryParseInt(pageSize, 20, 1, MaxPageSize, out var size))
        {
            return ApiProblems.InvalidField("pageSize", $"must be a whole number from 1 to {MaxPageSize}");
        }

        var listing = (IJobListing)storage.GetMonitoringApi();
        var filter = new JobListFilter(stateName, queue,
            jobType is null ? null : TypeHelper.CurrentTypeSerializer(jobType.JobClass),
            jobType?.Method.Name);
        var result = listing.ListJobIds(filter, (pageNumber - 1) * size, size);
        var items = result.Ids
            .Select(id => JobReader.Get(storage, id.ToString(System.Globalization.CultureInfo.InvariantCulture), withContinuations: false))
            .OfType<JobResponse>() // a job that expired between the two reads is left out
            .Select(job => job.ToSummary())
            .ToList();
        return TypedResults.Ok(new JobListResponse(items, result.Total, pageNumber, size));
    }

    private static Results<Ok<JobStateResponse>, ProblemHttpResult> Requeue(string id, JobStorage storage, IBackgroundJobClient client)
    {
        if (!JobReader.TryParseId(id, out var numericId))
        {
            return ApiProblems.JobNotFound(id);
        }

        using var connection = storage.GetConnection();
        var data = connection.GetJobData(id);
        if (data is null)
        {
            return ApiProblems.JobNotFound(id);
        }

        if (data.State is "Enqueued" or "Processing")
        {
            return ApiProblems.Conflict($"Job {id} is {data.State}; only Succeeded, Failed, Deleted, Scheduled or Awaiting jobs can be requeued.");
        }

        try
        {
            // Hangfire's Requeue from the state just read: under the job's lock, so a job that moved on meanwhile is left alone.
            if (!client.Requeue(id, data.State))
            {
                return ApiProblems.Conflict($"Job {id} changed state while being requeued; read it and try again.");
            }
        }
        catch (Exception ex) when (ConcurrencyLimitReachedException.FindIn(ex) is { } refused)
        {
            return ApiProblems.ConcurrencyLimitReached(refused);
        }

        return TypedResults.Ok(new JobStateResponse(numericId, JobCreationEndpoint.CurrentState(connection, id)));
    }

    private static Results<Ok<JobStateResponse>, ProblemHttpResult> Delete(string id, JobStorage storage, IBackgroundJobClient client)
    {
        if (!JobReader.TryParseId(id, out var numericId))
        {
            return ApiProblems.JobNotFound(id);
        }

        using var connection = storage.GetConnection();
        if (connection.GetJobData(id) is null)
        {
            return ApiProblems.JobNotFound(id);
        }

        // Deleting twice is not an error: the job is deleted, as asked. A running job's server sees the state change at
        // its next cancellation check and fires the job's CancellationToken.
        client.Delete(id);
        return TypedResults.Ok(new JobStateResponse(numericId, JobCreationEndpoint.CurrentState(connection, id)));
    }

    private static bool TryParseInt(string? text, int fallback, int min, int max, out int value)
    {
        if (text is null)
        {
            value = fallback;
            return true;
        }

        var valid = text.Length is > 0 and <= 7 && text.All(char.IsAsciiDigit) && int.TryParse(text, out var number) && number >= min && number <= max;
        value = valid ? int.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : 0;
        return valid;
    }
}
