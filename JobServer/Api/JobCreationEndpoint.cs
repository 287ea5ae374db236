using System.Globalization;
using System.Text.Json;
using Hangfire;
using Hangfire.Storage;
using JobServer.Concurrency;
using Microsoft.AspNetCore.Http.HttpResults;

namespace JobServer.Api;

/// <summary>
/// The one way every job-creating endpoint answers: read the JSON body (415/413/400), let the endpoint read it into a
/// <see cref="JobRequest"/>, create the job through Hangfire's <see cref="IBackgroundJobClient"/> (so every client and
/// state filter runs, the concurrency limits included), and answer 202 with the id, the state the job is in now and
/// <c>Location</c> — or the problem naming what is wrong (400 field, 409 key held). An endpoint that takes the job's
/// arguments elsewhere than in <c>args</c> renames their faults with <paramref name="renameArgumentFault"/>.
/// </summary>
internal static class JobCreationEndpoint
{
    public static async Task<Results<Accepted<JobCreatedResponse>, ProblemHttpResult>> CreateAsync(
        HttpRequest request, JobStorage storage, IBackgroundJobClient client, TimeProvider time, Func<JsonElement, DateTimeOffset, JobRequest> read,
        Func<ApiFieldException, ApiFieldException>? renameArgumentFault = null)
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
                var jobRequest = read(body!.RootElement, time.GetUtcNow());
                using var connection = storage.GetConnection();
                JobPlan plan;
                try
                {
                    plan = JobPlan.From(jobRequest, connection);
                }
                catch (ApiFieldException ex) when (renameArgumentFault is not null)
                {
                    throw renameArgumentFault(ex);
                }

                var id = Create(client, plan);
                return TypedResults.Accepted($"/api/jobs/{id}", new JobCreatedResponse(ParseId(id), CurrentState(connection, id)));
            }
            catch (ApiFieldException ex)
            {
                return ApiProblems.InvalidField(ex.Field, ex.Reason);
            }
            catch (BackgroundJobClientException ex) when (ConcurrencyLimitReachedException.FindIn(ex) is { } refused)
            {
                return ApiProblems.ConcurrencyLimitReached(refused);
            }
        }
    }

    /// <summary>Creates the planned job; a refusal by a filter surfaces as Hangfire's <see cref="BackgroundJobClientException"/>.</summary>
    public static string Create(IBackgroundJobClient client, JobPlan plan) =>
        client.Create(plan.Job, plan.InitialState)
        ?? throw new InvalidOperationException("A client filter cancelled the job's creation.");

    /// <summary>The state the job is in now: filters may have elected another than the one asked for (a concurrency
    /// limit in Wait mode makes it Awaiting; a continuation of a finished parent is Enqueued at once).</summary>
    public static string CurrentState(IStorageConnection connection, string id) =>
        connection.GetStateData(id)?.Name ?? "Created";

    public static long ParseId(string id) => long.Parse(id, NumberStyles.None, CultureInfo.InvariantCulture);
}
