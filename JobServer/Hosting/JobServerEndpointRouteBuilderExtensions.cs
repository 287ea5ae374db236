using Hangfire;
using JobServer.Api;
using JobServer.Dashboard;
using Microsoft.Extensions.Options;

namespace JobServer.Hosting;

public static class JobServerEndpointRouteBuilderExtensions
{
    /// <summary>Maps Hangfire's dashboard (<c>/hangfire</c> unless <c>JobServer:Dashboard:Path</c> says otherwise; <c>/</c>
    /// redirects there), the HTTP API under <c>/api</c>, <c>/health</c> and the OpenAPI document <c>/openapi/v1.json</c>.</summary>
    public static IEndpointRouteBuilder MapJobServer(this IEndpointRouteBuilder routes)
    {
        var dashboard = routes.ServiceProvider.GetRequiredService<IOptions<JobServerDashboardOptions>>().Value;
        if (dashboard.Enabled)
        {
            routes.MapJobServerDashboard(dashboard);
        }

        routes.MapGet("/", () => Results.Redirect(dashboard.Enabled ? dashboard.Path : "/api/stats")).ExcludeFromDescription();

        // Every API resource shares the guard on changing requests; /health stays open to load balancers.
        var api = routes.MapGroup("").AddEndpointFilter<ApiWriteAccessFilter>();
        api.MapJobEndpoints();
        api.MapBulkInsertEndpoints();
        api.MapStatusEndpoints();
        api.MapRecurringEndpoints();
        routes.MapHealthEndpoint();
        routes.MapOpenApi();
        return routes;
    }

    private static void MapJobServerDashboard(this IEndpointRouteBuilder routes, JobServerDashboardOptions dashboard)
    {
        var options = new DashboardOptions
        {
            // Hangfire writes the title into the page as HTML; ours is text.
            DashboardTitle = System.Net.WebUtility.HtmlEncode(dashboard.Title),
            // "/" redirects to the dashboard, so Hangfire's "back to site" link would lead back here.
            AppPath = null,
            DisplayStorageConnectionString = false,
            StatsPollingInterval = dashboard.StatsPollingInterval,
            IsReadOnlyFunc = _ => dashboard.ReadOnly,
            // Hangfire's default filter (local requests only) is replaced by ours, which also covers credentials
            // and read-only mode and answers 401 with a challenge or 403 as the case deserves.
            Authorization = [],
            AsyncAuthorization = [new DashboardAccessFilter(dashboard)],
        };

        // Not MapHangfireDashboardWithAuthorizationPolicy: it drops every dashboard filter, and with them the
        // credentials and read-only checks. The policy is required on the endpoint instead, so both apply.
        var endpoint = routes.MapHangfireDashboard(dashboard.Path, options);
        if (dashboard.HasPolicy)
        {
            endpoint.RequireAuthorization(dashboard.AuthorizationPolicy!);
        }
    }
}
