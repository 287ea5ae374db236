using System.Buffers;
using System.Text.Json;
using Hangfire;
using JobServer.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace JobServer.Api;

/// <summary>
/// The bulk-insert workload's own door. <c>POST /api/bulk-insert</c> takes the job's arguments as the body itself
/// (<c>{"rows", "project", "name"?, "chunkSize"?, "queue"?, "delay"? | "runAt"?}</c>) and answers exactly as
/// <c>POST /api/jobs</c> does for a <c>bulk-insert</c> job, including 409 while the project has one queued or running
/// (the job's concurrency limit). <c>GET /api/bulk-insert/count</c> counts rows through <c>selectCountData</c>.
/// </summary>
internal static class BulkInsertEndpoints
{
    private static readonly string[] ArgsFields = ["rows", "name", "project", "chunkSize"];

    private static readonly string[] RequiredArgsFields = ["rows", "project"];

    private static readonly HashSet<string> KnownFields = [.. ArgsFields, "queue", "delay", "runAt"];

    public static IEndpointRouteBuilder MapBulkInsertEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/bulk-insert").WithTags("Bulk insert");
        group.MapPost("/", CreateAsync);
        group.MapGet("/count", CountAsync);
        return routes;
    }

    private static Task<Results<Accepted<JobCreatedResponse>, ProblemHttpResult>> CreateAsync(
        HttpRequest request, JobStorage storage, IBackgroundJobClient client, TimeProvider time) =>
        JobCreationEndpoint.CreateAsync(request, storage, client, time, ReadRequest, AsSent);

    /// <summary>The job type names its arguments as inside "args" ("args.rows"); this client sent them at the top of the body.</summary>
    private static ApiFieldException AsSent(ApiFieldException fault) =>
        fault.Field == "args" || fault.Field.StartsWith("args.", StringComparison.Ordinal) ? new ApiFieldException(FieldAsSent(fault.Field), fault.Reason) : fault;

    private static async Task<Results<Ok<BulkInsertCountResponse>, ProblemHttpResult>> CountAsync(HttpRequest request, ApiDataDatabase database)
    {
        // Read the raw values: binding to a string would join "?project=a&project=b" into the project "a,b".
        var values = request.Query["project"];
        if (values.Count > 1)
        {
            return ApiProblems.InvalidField("project", "give at most one project");
        }

        var project = values.Count == 1 ? values[0] : null;
        if (project is not null && (project.Length == 0 || project.Length > BulkInsertArguments.MaxTextLength))
        {
            return ApiProblems.InvalidField("project", $"must be 1-{BulkInsertArguments.MaxTextLength} characters");
        }

        return TypedResults.Ok(new BulkInsertCountResponse(project, await database.CountRowsAsync(project, request.HttpContext.RequestAborted)));
    }

    private static JobRequest ReadRequest(JsonElement body, DateTimeOffset now)
    {
        JobRequestReader.RequireObjectOf(body, KnownFields);
        foreach (var field in RequiredArgsFields)
        {
            if (!body.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                throw new ApiFieldException(field, "is required");
            }
        }

        var queue = JobRequestReader.ReadQueue(body);
        var runAt = JobRequestReader.ReadRunAt(body, now);
        return new JobRequest(BulkInsertJob.TypeName, ArgsElement(body), queue, runAt, null, JobContinuationOptions.OnlyOnSucceededState);
    }

    /// <summary>The job's arguments are the body's own fields, copied as sent, so the job type judges them and every rule
    /// about them stays in <see cref="BulkInsertArguments"/>. A null is left out (the field's default).</summary>
    private static JsonElement ArgsElement(JsonElement body)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var property in body.EnumerateObject())
            {
                if (ArgsFields.Contains(property.Name) && property.Value.ValueKind != JsonValueKind.Null)
                {
                    property.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    private static string FieldAsSent(string argsField)
    {
        if (argsField == "args")
        {
            return "body";
        }

        var name = argsField["args.".Length..];
        var end = name.IndexOfAny(['.', '[']);
        return end < 0 ? name : name[..end];
    }
}
