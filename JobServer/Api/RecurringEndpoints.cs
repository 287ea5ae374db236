using System.Text.Json;
using JobServer.Concurrency;
using JobServer.Jobs;
using JobServer.Recurring;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace JobServer.Api;

/// <summary>
/// <c>/api/recurring</c>: Hangfire recurring jobs of registered job types. PUT defines or redefines one (201 / 200),
/// GET lists them or shows one with its next occurrences, DELETE removes it, trigger runs it now (202 and the job's
/// Location), pause and resume stop and restart its schedule (see <see cref="RecurringPause"/>). A definition Hangfire
/// would refuse or could not run is a 400 naming every field at fault, and writes nothing.
/// </summary>
internal static class RecurringEndpoints
{
    private static readonly string[] KnownFields = ["cron", "timeZone", "type", "args", "queue", "misfire"];

    public static IEndpointRouteBuilder MapRecurringEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/recurring").WithTags("Recurring jobs");
        group.MapGet("/", (RecurringJobs recurring) => TypedResults.Ok(recurring.List().Select(v => v.ToResponse()).ToList()));
        group.MapGet("/{id}", Get);
        group.MapPut("/{id}", PutAsync);
        group.MapDelete("/{id}", Delete);
        group.MapPost("/{id}/trigger", Trigger);
        group.MapPost("/{id}/pause", (string id, RecurringJobs recurring) => Steer(id, () => recurring.Pause(id)));
        group.MapPost("/{id}/resume", (string id, RecurringJobs recurring) => Steer(id, () => recurring.Resume(id)));
        return routes;
    }

    private static Results<Ok<RecurringJobResponse>, ProblemHttpResult> Get(string id, RecurringJobs recurring) =>
        recurring.Get(id) is { } view ? TypedResults.Ok(view.ToResponse()) : NotFound(id);

    private static async Task<Results<Created<RecurringJobResponse>, Ok<RecurringJobResponse>, ProblemHttpResult>> PutAsync(
        string id, HttpRequest request, RecurringJobs recurring)
    {
        var (body, problem) = await JsonBody.ReadAsync(request);
        if (problem is not null) return problem;

        using (body)
        {
            var (definition, shapeErrors) = Read(id, body!.RootElement);
            if (definition is null) return Invalid(shapeErrors);
            if (!definition.TryValidate(recurring.TimeZones, out var valid, out var errors)) return Invalid(errors);

            var created = recurring.AddOrUpdate(valid);
            var view = recurring.Get(id)!.ToResponse();
            return created ? TypedResults.Created($"/api/recurring/{Uri.EscapeDataString(id)}", view) : TypedResults.Ok(view);
        }
    }

    /// <summary>The body's shape: an object of known fields, the strings as strings. The values are checked by
    /// <see cref="RecurringDefinition.TryValidate"/>.</summary>
    private static (RecurringDefinition? Definition, IReadOnlyList<ArgumentError> Errors) Read(string id, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) return (null, [new ArgumentError("body", "must be a JSON object")]);

        var errors = new List<ArgumentError>();
        foreach (var property in root.EnumerateObject().Where(p => !KnownFields.Contains(p.Name, StringComparer.Ordinal)))
        {
            errors.Add(new ArgumentError(property.Name, $"is not a known field (known: {string.Join(", ", KnownFields)})"));
        }

        string? Text(string name, bool required)
        {
            if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                if (required) errors.Add(new ArgumentError(name, "is required"));
                return null;
            }

            if (value.ValueKind != JsonValueKind.String)
            {
                errors.Add(new ArgumentError(name, "must be a string"));
                return null;
            }

            return value.GetString();
        }

        var definition = new RecurringDefinition(
            id,
            Text("cron", required: true),
            Text("type", required: true),
            root.TryGetProperty("args", out var args) ? args : default,
            Text("timeZone", required: false),
            Text("queue", required: false),
            Text("misfire", required: false));
        return errors.Count > 0 ? (null, errors) : (definition, []);
    }

    private static Results<NoContent, ProblemHttpResult> Delete(string id, RecurringJobs recurring) =>
        recurring.Remove(id) ? TypedResults.NoContent() : NotFound(id);

    private static Results<Accepted<RecurringTriggerResponse>, ProblemHttpResult> Trigger(string id, RecurringJobs recurring)
    {
        try
        {
            var (result, jobId) = recurring.Trigger(id);
            return result switch
            {
                TriggerResult.Created => TypedResults.Accepted($"/api/jobs/{jobId}", new RecurringTriggerResponse(long.Parse(jobId!), id)),
                TriggerResult.NotFound => NotFound(id),
                _ => ApiProblems.Status(StatusCodes.Status409Conflict, "The run was not created.",
                    $"A filter of recurring job '{id}' canceled the run (for a bulk insert: a job for the same project is already in flight); the schedule is unchanged."),
            };
        }
        catch (Exception ex) when (ConcurrencyLimitReachedException.FindIn(ex) is { } limit)
        {
            return ApiProblems.ConcurrencyLimitReached(limit);
        }
    }

    private static Results<Ok<RecurringJobResponse>, ProblemHttpResult> Steer(string id, Func<RecurringJobView?> change)
    {
        try
        {
            return change() is { } view ? TypedResults.Ok(view.ToResponse()) : NotFound(id);
        }
        catch (InvalidOperationException ex)
        {
            return ApiProblems.Conflict(ex.Message);
        }
    }

    /// <summary>400 naming every field at fault (the first in the detail).</summary>
    private static ProblemHttpResult Invalid(IReadOnlyList<ArgumentError> errors) =>
        TypedResults.Problem(new ProblemDetails
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request is invalid.",
            Detail = string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")),
            Extensions = { ["errors"] = errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()) },
        });

    private static ProblemHttpResult NotFound(string id) =>
        ApiProblems.Status(StatusCodes.Status404NotFound, "Recurring job not found.", $"There is no recurring job '{(id.Length <= 100 ? id : id[..100] + "…")}'.");
}
