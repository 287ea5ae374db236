using JobServer.Api;

namespace JobServer.Hosting;

public static class JobServerEndpointRouteBuilderExtensions
{
    /// <summary>Maps the HTTP API (<c>/api/jobs</c>, <c>/api/bulk-insert</c>, <c>/api/servers</c>, <c>/api/stats</c>) and <c>/health</c>.</summary>
    public static IEndpointRouteBuilder MapJobServer(this IEndpointRouteBuilder routes)
    {
        routes.MapJobEndpoints();
        routes.MapBulkInsertEndpoints();
        routes.MapRecurringEndpoints();
        routes.MapServerEndpoints();
        routes.MapStatsEndpoints();
        routes.MapHealthEndpoints();
        return routes;
    }
}
