using System.Buffers;
using System.Text;
using System.Text.Json;
using JobServer.Engine;
using JobServer.Engine.Client;
using JobServer.Jobs.BulkInsert;
using JobServer.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace JobServer.Api;

/// <summary>
/// The bulk-insert workload's own door. <c>POST /api/bulk-insert</c> takes the job's arguments as the body itself
/// (<c>{"rows", "name"?, "project", "chunkSize"?, "queue"?, "delay"? | "runAt"?}</c>) and answers exactly as
/// <c>POST /api/jobs</c> does for a <c>bulk-insert</c> job, including 409 while the project has one in flight.
/// <c>GET /api/bulk-insert/count</c> counts <c>api_data</c> rows through the <c>selectCountData</c> procedure.
/// </summary>
internal static class BulkInsertEndpoints
{
    /// <summary>As <see cref="BulkInsertArgs.Project"/> and the <c>api_data.project</c> column allow.</summary>

    private static readonly string[] ArgsFields = ["rows", "name", "project", "chunkSize"];

    private static readonly string[] RequiredArgsFields = ["rows", "project"];

    private static readonly HashSet<string> KnownFields = [.. ArgsFields, "queue", "delay", "runAt"];

    public static IEndpointRouteBuilder MapBulkInsertEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/bulk-insert").WithTags("Bulk insert");
        group.MapPost("/", CreateAsync);
        group.MapGet("/count", Count);
        return routes;
    }

    private static Task<Results<Accepted<JobCreatedResponse>, ProblemHttpResult>> CreateAsync(HttpRequest request, IJobClient client, TimeProvider time) =>
        JobCreationEndpoint.CreateAsync(request, time, (body, now) => CreateJob(client, ReadRequest(body, now)));

    private static Results<Ok<BulkInsertCountResponse>, ProblemHttpResult> Count(HttpRequest request, IApiDataStore store)
    {
        // Read the raw values: binding to a string would join "?project=a&project=b" into the project "a,b".
        var values = request.Query["project"];
        if (values.Count > 1)
        {
            return ApiProblems.InvalidField("project", "give at most one project");
        }

        var project = values.Count == 1 ? values[0] : null;
        if (project is not null && (project.Length == 0 || project.Length > BulkInsertArgs.MaxProjectLength))
        {
            return ApiProblems.InvalidField("project", $"must be 1-{BulkInsertArgs.MaxProjectLength} characters");
        }

        return TypedResults.Ok(new BulkInsertCountResponse(project, store.CountRows(project)));
    }

    private static JobRequest ReadRequest(JsonElement body, DateTimeOffset now)
    {
        JobRequestReader.RequireObjectOf(body, KnownFields);
        foreach (var field in RequiredArgsFields)
        {
            if (!body.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                throw new JobValidationException(field, "is required");
            }
        }

        var queue = JobRequestReader.ReadQueue(body);
        var runAt = JobRequestReader.ReadRunAt(body, now);
        return new JobRequest(BulkInsertJob.TypeName, ArgsJson(body), queue, runAt);
    }

    /// <summary>
    /// The job's arguments are the body's own fields, copied as sent, so the job type's validation judges them and
    /// every rule about them stays in <see cref="BulkInsertArgs"/>. A null is left out (the field's default), as
    /// <c>queue</c>, <c>delay</c> and <c>runAt</c> treat null.
    /// </summary>
    private static string ArgsJson(JsonElement body)
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

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The job type checks its arguments as if inside <c>args</c> ("args.rows"); this client sent them at the
    /// top of the body, so a fault is reported under the name sent ("rows").</summary>
    private static CreatedJob CreateJob(IJobClient client, JobRequest request)
    {
        try
        {
            return client.Create(request);
        }
        catch (JobValidationException ex) when (ex.Field == "args" || ex.Field.StartsWith("args.", StringComparison.Ordinal))
        {
            throw new JobValidationException(FieldAsSent(ex.Field), ex.Reason);
        }
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
