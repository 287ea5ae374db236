using System.Text.Json;
using JobServer.Engine;
using JobServer.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace JobServer.Api;

/// <summary>
/// The one way every job-creating endpoint answers: read the JSON body (415/413/400), let the endpoint turn it into
/// a job, 202 with the job's id, state and Location — or the problem that names what is wrong (400 field, 409 key
/// held or parent deleted).
/// </summary>
internal static class JobCreationEndpoint
{
    public static async Task<Results<Accepted<JobCreatedResponse>, ProblemHttpResult>> CreateAsync(
        HttpRequest request, TimeProvider time, Func<JsonElement, DateTimeOffset, CreatedJob> create)
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
                var created = create(body!.RootElement, time.GetUtcNow());
                return TypedResults.Accepted($"/api/jobs/{created.Id}", new JobCreatedResponse(created.Id, created.State));
            }
            catch (Exception ex) when (IsRefusal(ex))
            {
                return ProblemFor(ex);
            }
        }
    }

    /// <summary>Whether <paramref name="ex"/> is a refused creation that <see cref="ProblemFor"/> answers.</summary>
    public static bool IsRefusal(Exception ex) =>
        ex is JobValidationException or ConcurrencyLimitReachedException or ContinuationParentException;

    /// <summary>The problem for a refused creation: 400 naming the field, 409 for a full key or a deleted parent.
    /// <paramref name="afterField"/> names the parent field (a batch names the item's).</summary>
    public static ProblemHttpResult ProblemFor(Exception ex, string afterField = "after") => ex switch
    {
        JobValidationException invalid => ApiProblems.InvalidField(invalid.Field, invalid.Reason),
        ConcurrencyLimitReachedException full => ApiProblems.ConcurrencyLimitReached(full),
        ContinuationParentException { ParentState: null } missing => ApiProblems.InvalidField(afterField, $"there is no job {missing.ParentId}"),
        ContinuationParentException deleted => ApiProblems.Conflict(deleted.Message),
        _ => throw new ArgumentException($"{ex.GetType().Name} is not a refused creation.", nameof(ex)),
    };
}
