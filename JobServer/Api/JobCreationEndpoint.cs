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
            catch (JobValidationException ex)
            {
                return ApiProblems.InvalidField(ex.Field, ex.Reason);
            }
            catch (ConcurrencyLimitReachedException ex)
            {
                return ApiProblems.ConcurrencyLimitReached(ex);
            }
            catch (ContinuationParentException ex) when (ex.ParentState is null)
            {
                return ApiProblems.InvalidField("after", $"there is no job {ex.ParentId}");
            }
            catch (ContinuationParentException ex)
            {
                return ApiProblems.Conflict(ex.Message);
            }
        }
    }
}
