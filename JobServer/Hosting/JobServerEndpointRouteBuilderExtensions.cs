using JobServer.Api;
using JobServer.Dashboard;

namespace JobServer.Hosting;

public static class JobServerEndpointRouteBuilderExtensions
{
    /// <summary>Maps the HTTP API (<c>/api/jobs</c>, <c>/api/bulk-insert</c>, <c>/api/servers</c>, <c>/api/stats</c>), <c>/health</c>
    /// and the dashboard (<c>/dashboard</c> unless <c>JobServer:Dashboard</c> says otherwise).</summary>
    public static IEndpointRouteBuilder MapJobServer(this IEndpointRouteBuilder routes)
    {
        // Every API resource shares the guard on changing requests; /health stays open to load balancers.
        var api = routes.MapGroup("").AddEndpointFilter<ApiWriteAccessFilter>();
        api.MapJobEndpoints();
        api.MapBulkInsertEndpoints();
        api.MapRecurringEndpoints();
        api.MapServerEndpoints();
        api.MapStatsEndpoints();
        routes.MapHealthEndpoints();
        routes.MapJobServerDashboard();
        return routes;
    }
}
