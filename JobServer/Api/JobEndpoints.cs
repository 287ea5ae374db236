using JobServer.Engine;
using JobServer.Engine.Client;
using JobServer.Engine.States;
using JobServer.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace JobServer.Api;

internal static class JobEndpoints
{
    public const int MaxPageSize = 500;

    public static RouteGroupBuilder MapJobEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/jobs").WithTags("Jobs");
        group.MapPost("/", CreateAsync);
        group.MapJobBatchEndpoints();
        group.MapGet("/", List);
        group.MapGet("/{id:long}", Get);
        group.MapPost("/{id:long}/requeue", Requeue);
        group.MapDelete("/{id:long}", Delete);
        return group;
    }

    private static Task<Results<Accepted<JobCreatedResponse>, ProblemHttpResult>> CreateAsync(HttpRequest request, IJobClient client, TimeProvider time) =>
        JobCreationEndpoint.CreateAsync(request, time, (body, now) => client.Create(JobRequestReader.Read(body, now)));

    private static Results<Ok<JobResponse>, ProblemHttpResult> Get(long id, IJobReader reader)
    {
        var job = reader.GetJob(id);
        return job is null ? ApiProblems.JobNotFound(id) : TypedResults.Ok(job.ToResponse());
    }

    private static Results<Ok<JobListResponse>, ProblemHttpResult> List(
        IJobReader reader, string? state, string? queue, string? type, string? page, string? pageSize)
    {
        JobState? stateFilter = null;
        if (state is not null)
        {
            // Exact names only: Enum.TryParse would also take numbers and "Succeeded,Failed" (OR-ed into another state).
            var name = Enum.GetNames<JobState>().FirstOrDefault(n => string.Equals(n, state, StringComparison.OrdinalIgnoreCase));
            if (name is null)
            {
                return ApiProblems.InvalidField("state", $"must be one of {string.Join(", ", Enum.GetNames<JobState>())}");
            }

            stateFilter = Enum.Parse<JobState>(name);
        }

        if (queue is not null && !QueueName.IsValid(queue))
        {
            return ApiProblems.InvalidField("queue", "must be 1-50 characters of a-z, 0-9, '_' or '-'");
        }

        if (type is not null && (type.Length == 0 || type.Length > 100))
        {
            return ApiProblems.InvalidField("type", "must be 1-100 characters");
        }

        if (!TryParseInt(page, 1, 1, 1_000_000, out var pageNumber))
        {
            return ApiProblems.InvalidField("page", "must be a whole number from 1 to 1000000");
        }

        if (!TryParseInt(pageSize, 20, 1, MaxPageSize, out var size))
        {
            return ApiProblems.InvalidField("pageSize", $"must be a whole number from 1 to {MaxPageSize}");
        }

        var result = reader.ListJobs(new JobQuery(stateFilter, queue, type, pageNumber, size));
        return TypedResults.Ok(new JobListResponse(result.Items.Select(j => j.ToResponse()).ToList(), result.Total, pageNumber, size));
    }

    private static Results<Ok<JobStateResponse>, ProblemHttpResult> Requeue(long id, IJobClient client)
    {
        StateChange change;
        try
        {
            change = client.Requeue(id);
        }
        catch (ConcurrencyLimitReachedException ex)
        {
            return ApiProblems.ConcurrencyLimitReached(ex);
        }

        return change.Outcome switch
        {
            ChangeOutcome.Changed => TypedResults.Ok(new JobStateResponse(id, change.NewState ?? JobState.Enqueued)),
            ChangeOutcome.NotFound => ApiProblems.JobNotFound(id),
            _ => ApiProblems.Conflict($"Job {id} is {change.PreviousState}; only Succeeded, Failed, Deleted or Scheduled jobs can be requeued."),
        };
    }

    private static Results<Ok<JobStateResponse>, ProblemHttpResult> Delete(long id, IJobClient client)
    {
        var change = client.Delete(id);
        return change.Outcome switch
        {
            // Deleting twice is not an error: the job is deleted, as asked.
            ChangeOutcome.Changed or ChangeOutcome.NotAllowed => TypedResults.Ok(new JobStateResponse(id, JobState.Deleted)),
            _ => ApiProblems.JobNotFound(id),
        };
    }

    private static bool TryParseInt(string? text, int fallback, int min, int max, out int value)
    {
        if (text is null)
        {
            value = fallback;
            return true;
        }

        var valid = WholeNumber.TryParse(text, out var number) && number >= min && number <= max;
        value = valid ? (int)number : 0;
        return valid;
    }
}
