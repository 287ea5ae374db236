using System.Text.Json;
using JobServer.Engine;
using JobServer.Engine.Scheduling;
using JobServer.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace JobServer.Api;

internal static class RecurringEndpoints
{
    private static readonly HashSet<string> KnownFields = ["cron", "timeZone", "type", "args", "queue", "misfire"];

    public static IEndpointRouteBuilder MapRecurringEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/recurring").WithTags("Recurring jobs");
        group.MapGet("/", (IRecurringJobManager manager) => TypedResults.Ok(manager.List(nextOccurrences: 1).Select(v => v.ToResponse()).ToList()));
        group.MapGet("/{id}", Get);
        group.MapPut("/{id}", PutAsync);
        group.MapDelete("/{id}", Delete);
        group.MapPost("/{id}/trigger", Trigger);
        group.MapPost("/{id}/pause", (string id, IRecurringJobManager manager) => Steer(id, manager, manager.Pause));
        group.MapPost("/{id}/resume", (string id, IRecurringJobManager manager) => Steer(id, manager, manager.Resume));
        return routes;
    }

    private static Results<Ok<RecurringJobResponse>, ProblemHttpResult> Get(string id, IRecurringJobManager manager) =>
        manager.Get(id) is { } view ? TypedResults.Ok(view.ToResponse()) : NotFound(id);

    private static async Task<Results<Created<RecurringJobResponse>, Ok<RecurringJobResponse>, ProblemHttpResult>> PutAsync(
        string id, HttpRequest request, IRecurringJobManager manager)
    {
        var (body, problem) = await JsonBody.ReadAsync(request);
        if (problem is not null)
        {
            return problem;
        }

        using (body)
        {
            try
            {
                var root = body!.RootElement;
                JobRequestReader.RequireObjectOf(root, KnownFields);
                var cron = JobRequestReader.RequiredString(root, "cron", 100);
                var type = JobRequestReader.RequiredString(root, "type", 100);
                var options = new RecurringJobOptions
                {
                    TimeZone = JobRequestReader.OptionalString(root, "timeZone", 64),
                    Queue = JobRequestReader.ReadQueue(root),
                    Misfire = JobRequestReader.OptionalString(root, "misfire", 20) switch
                    {
                        null or "fireOnce" => MisfirePolicy.FireOnce,
                        "skip" => MisfirePolicy.Skip,
                        _ => throw new JobValidationException("misfire", "must be \"fireOnce\" or \"skip\""),
                    },
                };
                var created = manager.AddOrUpdateJson(id, cron, type, JobRequestReader.ReadArgs(root), options);
                var view = manager.Get(id)!.ToResponse();
                return created ? TypedResults.Created($"/api/recurring/{Uri.EscapeDataString(id)}", view) : TypedResults.Ok(view);
            }
            catch (JobValidationException ex)
            {
                return ApiProblems.InvalidField(ex.Field, ex.Reason);
            }
        }
    }

    private static Results<NoContent, ProblemHttpResult> Delete(string id, IRecurringJobManager manager) =>
        manager.Remove(id) ? TypedResults.NoContent() : NotFound(id);

    private static Results<Accepted<JobCreatedResponse>, ProblemHttpResult> Trigger(string id, IRecurringJobManager manager)
    {
        try
        {
            return manager.Trigger(id) is { } created
                ? TypedResults.Accepted($"/api/jobs/{created.Id}", new JobCreatedResponse(created.Id, created.State))
                : NotFound(id);
        }
        catch (ConcurrencyLimitReachedException ex)
        {
            return ApiProblems.ConcurrencyLimitReached(ex);
        }
    }

    private static Results<Ok<RecurringJobResponse>, ProblemHttpResult> Steer(string id, IRecurringJobManager manager, Func<string, bool> change) =>
        change(id) && manager.Get(id) is { } view ? TypedResults.Ok(view.ToResponse()) : NotFound(id);

    private static ProblemHttpResult NotFound(string id) =>
        ApiProblems.Status(StatusCodes.Status404NotFound, "Recurring job not found.", $"There is no recurring job '{(id.Length <= 100 ? id : id[..100] + "…")}'.");
}
