using JobServer.Storage;

namespace JobServer.Api;

internal static class StatsEndpoints
{
    public static IEndpointRouteBuilder MapStatsEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/api/stats").WithTags("Stats").MapGet("/", (IJobReader reader) =>
        {
            var stats = reader.GetStats();
            return TypedResults.Ok(new StatsResponse(
                stats.States,
                stats.Queues.ToDictionary(q => q.Key, q => new QueueStatsResponse(q.Value.Enqueued, q.Value.Processing, q.Value.Scheduled, q.Value.Awaiting))));
        });
        return routes;
    }
}
