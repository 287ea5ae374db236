using Microsoft.AspNetCore.Http.HttpResults;

namespace JobServer.Api;

/// <summary>The API's error answers: RFC 7807 problem details that name what is wrong, and for a bad field, which one.</summary>
internal static class ApiProblems
{
    public static ProblemHttpResult InvalidField(string field, string message) =>
        TypedResults.Problem(new Microsoft.AspNetCore.Mvc.ProblemDetails
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request is invalid.",
            Detail = $"{field}: {message}",
            Extensions = { ["errors"] = new Dictionary<string, string[]> { [field] = [message] } },
        });

    public static ProblemHttpResult JobNotFound(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Job not found.", detail: $"There is no job {id}.");

    public static ProblemHttpResult JobNotFound(long id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Job not found.", detail: $"There is no job {id}.");

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The job is in the wrong state for this.", detail: detail);

    /// <summary>409 for a job refused by its type's concurrency limit, naming the job(s) holding the key.</summary>
    public static ProblemHttpResult ConcurrencyLimitReached(JobServer.Concurrency.ConcurrencyLimitReachedException ex) =>
        TypedResults.Problem(new Microsoft.AspNetCore.Mvc.ProblemDetails
        {
            Status = StatusCodes.Status409Conflict,
            Title = "A job with the same concurrency key is already in flight.",
            // The shipped keys read "{job type}:{key from the arguments}" (see BulkInsertJob's ConcurrencyLimit).
            Detail = $"A {ex.Key[..Math.Max(ex.Key.IndexOf(':'), 0)]} job for '{ex.Key[(ex.Key.IndexOf(':') + 1)..]}' is already queued or running (job {string.Join(", ", ex.Holders)}); try again later.",
            Extensions = { ["concurrencyKey"] = ex.Key, ["existingJobIds"] = ex.Holders.Select(long.Parse).ToList() },
        });

    public static ProblemHttpResult Status(int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail);
}
