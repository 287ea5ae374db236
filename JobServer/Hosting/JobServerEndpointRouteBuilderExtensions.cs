using JobServer.Api;
using JobServer.Dashboard;

namespace JobServer.Hosting;

public static class JobServerEndpointRouteBuilderExtensions
{
    /// <summary>Maps the HTTP API (<c>/api/jobs</c>, <c>/api/bulk-insert</c>, <c>/api/servers</c>, <c>/api/stats</c>), <c>/health</c>
    /// and the dashboard (<c>/dashboard</c> unless <c>JobServer:Dashboard</c> says otherwise).</summary>
    public static IEndpointRouteBuilder MapJobServer(this IEndpointRouteBuilder routes)
    {
        routes.MapJobEndpoints();
        routes.MapBulkInsertEndpoints();
        routes.MapRecurringEndpoints();
        routes.MapServerEndpoints();
        routes.MapStatsEndpoints();
        routes.MapHealthEndpoints();
        routes.MapJobServerDashboard();
        return routes;
    }
}
