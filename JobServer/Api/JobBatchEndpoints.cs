using System.Text.Json;
using JobServer.Engine;
using JobServer.Engine.Client;
using JobServer.Engine.States;
using JobServer.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace JobServer.Api;

/// <summary>
/// <c>POST /api/jobs/batch</c> with <c>{"jobs": [&lt;the body of POST /api/jobs&gt;, …]}</c>: 1 to
/// <see cref="MaxJobs"/> jobs created all-or-nothing in one transaction. 202 with their ids and states in request
/// order and no Location (there is no single resource to point at); or the problem naming the item at fault
/// (<c>jobs[3].args.ms</c>), in which case nothing was written.
/// </summary>
internal static class JobBatchEndpoints
{
    public const int MaxJobs = 10_000;

    /// <summary>16 MB: 10,000 jobs of up to ~1.6 KB each; a body of small jobs needs well under 1 MB.</summary>
    public const int MaxBodyBytes = 16 * 1024 * 1024;

    private static readonly HashSet<string> KnownFields = ["jobs"];

    public static RouteHandlerBuilder MapJobBatchEndpoints(this RouteGroupBuilder jobs) => jobs.MapPost("/batch", CreateAsync);

    /// <param name="Ids">The new jobs' ids, in request order.</param>
    /// <param name="States">Each job's first state (Enqueued, Scheduled or Awaiting), in request order.</param>
    public sealed record CreatedResponse(IReadOnlyList<long> Ids, IReadOnlyList<JobState> States);

    private static async Task<Results<Accepted<CreatedResponse>, ProblemHttpResult>> CreateAsync(HttpRequest request, IJobClient client, TimeProvider time)
    {
        var (body, problem) = await JsonBody.ReadAsync(request, MaxBodyBytes);
        if (problem is not null)
        {
            return problem;
        }

        using (body)
        {
            try
            {
                var created = client.CreateMany(Read(body!.RootElement, time.GetUtcNow()));
                return TypedResults.Accepted((string?)null, new CreatedResponse(created.Select(c => c.Id).ToList(), created.Select(c => c.State).ToList()));
            }
            catch (JobBatchItemException ex)
            {
                var item = $"jobs[{ex.Index}]";
                var refused = JobCreationEndpoint.ProblemFor(ex.InnerException!, $"{item}.after");
                if (refused.StatusCode != StatusCodes.Status400BadRequest)
                {
                    refused.ProblemDetails.Detail = $"{item}: {refused.ProblemDetails.Detail}";
                }

                refused.ProblemDetails.Extensions["index"] = ex.Index;
                return refused;
            }
            catch (Exception ex) when (JobCreationEndpoint.IsRefusal(ex))
            {
                return JobCreationEndpoint.ProblemFor(ex);
            }
        }
    }

    /// <summary>Every item read as <c>POST /api/jobs</c> reads its body; a fault is named under its item.</summary>
    private static List<JobRequest> Read(JsonElement body, DateTimeOffset now)
    {
        JobRequestReader.RequireObjectOf(body, KnownFields);
        if (!body.TryGetProperty("jobs", out var items) || items.ValueKind == JsonValueKind.Null)
        {
            throw new JobValidationException("jobs", "is required");
        }

        if (items.ValueKind != JsonValueKind.Array)
        {
            throw new JobValidationException("jobs", "must be an array of jobs");
        }

        var count = items.GetArrayLength();
        if (count is 0 or > MaxJobs)
        {
            throw new JobValidationException("jobs", $"must hold 1 to {MaxJobs:N0} jobs, not {count:N0}");
        }

        var requests = new List<JobRequest>(count);
        foreach (var item in items.EnumerateArray())
        {
            try
            {
                requests.Add(JobRequestReader.Read(item, now));
            }
            catch (JobValidationException ex)
            {
                var prefix = $"jobs[{requests.Count}]";
                throw new JobValidationException(ex.Field == "body" ? prefix : $"{prefix}.{ex.Field}", ex.Reason);
            }
        }

        return requests;
    }
}
