using JobServer.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace JobServer.Api;

internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/health", Results<Ok<HealthResponse>, JsonHttpResult<HealthResponse>> (IJobReader reader) =>
            reader.Ping()
                ? TypedResults.Ok(new HealthResponse("Healthy", "up"))
                : TypedResults.Json(new HealthResponse("Unhealthy", "down"), statusCode: StatusCodes.Status503ServiceUnavailable))
            .WithTags("Health");
        return routes;
    }
}
