using System.Reflection;
using System.Text.Json;
using Hangfire;
using JobServer.Concurrency;
using Microsoft.AspNetCore.Http.HttpResults;

namespace JobServer.Api;

/// <summary>
/// <c>POST /api/jobs/batch</c> with <c>{"jobs": [&lt;the body of POST /api/jobs&gt;, …]}</c>: 1 to <see cref="MaxJobs"/>
/// jobs, all or none. 202 with their ids and states in request order and no Location; or the problem naming the item
/// at fault (<c>jobs[3].args.ms</c>).
/// </summary>
/// <remarks>
/// Hangfire's client creates one job per call, each in transactions of its own; a batch instead goes in two steps.
/// (1) Every item is read and checked, its parent included, before anything is written. (2) <see cref="JobBatchWriter"/>
/// writes every job row and its first state in ONE storage transaction (our storage creates jobs inside a transaction):
/// the jobs become visible together at the commit, or, if anything fails before it, not at all — a rollback leaves no
/// row. One exception to "nothing outside the transaction": a continuation registers itself on its parent while its
/// state is elected (Hangfire writes that parameter outside the transaction); after a failed commit the parent holds
/// the id of a job that does not exist, which Hangfire skips when the parent ends.
/// Types with a Reject-mode concurrency limit (bulk-insert) are refused in a batch: their limit holds its key's lock
/// from a job's creation to its own commit, one job at a time.
/// </remarks>
internal static class JobBatchEndpoints
{
    public const int MaxJobs = 10_000;

    /// <summary>16 MB: 10,000 jobs of up to ~1.6 KB each; a body of small jobs needs well under 1 MB.</summary>
    public const int MaxBodyBytes = 16 * 1024 * 1024;

    private static readonly HashSet<string> KnownFields = ["jobs"];

    public static RouteHandlerBuilder MapJobBatchEndpoints(this RouteGroupBuilder jobs) => jobs.MapPost("/batch", CreateAsync);

    private static async Task<Results<Accepted<JobBatchCreatedResponse>, ProblemHttpResult>> CreateAsync(
        HttpRequest request, JobStorage storage, IServiceProvider services, TimeProvider time)
    {
        var (body, problem) = await JsonBody.ReadAsync(request, MaxBodyBytes);
        if (problem is not null)
        {
            return problem;
        }

        using (body)
        {
            using var connection = storage.GetConnection();
            List<JobPlan> plans;
            try
            {
                plans = Plan(body!.RootElement, time.GetUtcNow(), connection);
            }
            catch (ApiFieldException ex)
            {
                return ApiProblems.InvalidField(ex.Field, ex.Reason);
            }

            IReadOnlyList<(string Id, string State)> created;
            try
            {
                created = JobBatchWriter.From(storage, services).Write(plans);
            }
            catch (BatchRefusedException ex)
            {
                return ApiProblems.Status(StatusCodes.Status409Conflict, "A job of the batch was refused.",
                    $"jobs[{ex.Index}]: a client filter refused the job; no job of the batch was created.");
            }

            return TypedResults.Accepted((string?)null, new JobBatchCreatedResponse(created.Select(c => JobCreationEndpoint.ParseId(c.Id)).ToList(), created.Select(c => c.State).ToList()));
        }
    }

    /// <summary>Every item read and planned as <c>POST /api/jobs</c> plans its body; a fault is named under its item.</summary>
    private static List<JobPlan> Plan(JsonElement body, DateTimeOffset now, Hangfire.Storage.IStorageConnection connection)
    {
        JobRequestReader.RequireObjectOf(body, KnownFields);
        if (!body.TryGetProperty("jobs", out var items) || items.ValueKind == JsonValueKind.Null)
        {
            throw new ApiFieldException("jobs", "is required");
        }

        if (items.ValueKind != JsonValueKind.Array)
        {
            throw new ApiFieldException("jobs", "must be an array of jobs");
        }

        var count = items.GetArrayLength();
        if (count is 0 or > MaxJobs)
        {
            throw new ApiFieldException("jobs", $"must hold 1 to {MaxJobs:N0} jobs, not {count:N0}");
        }

        var plans = new List<JobPlan>(count);
        foreach (var item in items.EnumerateArray())
        {
            var prefix = $"jobs[{plans.Count}]";
            try
            {
                var plan = JobPlan.From(JobRequestReader.Read(item, now), connection);
                if (HasRejectingLimit(plan.Job.Method))
                {
                    throw new ApiFieldException("type", "jobs of this type have a concurrency limit that refuses extra jobs; create them one at a time with POST /api/jobs");
                }

                plans.Add(plan);
            }
            catch (ApiFieldException ex)
            {
                throw ex.Under(prefix);
            }
        }

        return plans;
    }

    private static bool HasRejectingLimit(MethodInfo method) =>
        (method.GetCustomAttribute<ConcurrencyLimitAttribute>() ?? method.DeclaringType?.GetCustomAttribute<ConcurrencyLimitAttribute>())
            is { Mode: ConcurrencyLimitMode.Reject };
}
