using JobServer.Dashboard.Security;
using Microsoft.Extensions.Options;

namespace JobServer.Dashboard;

internal static class DashboardEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the dashboard under <see cref="DashboardOptions.Path"/> (nothing when disabled). Every endpoint goes
    /// through <see cref="DashboardAccessFilter"/>; with <see cref="DashboardOptions.AuthorizationPolicy"/> set, the
    /// group also requires that policy. Called by <c>MapJobServer</c>.
    /// </summary>
    public static IEndpointRouteBuilder MapJobServerDashboard(this IEndpointRouteBuilder routes)
    {
        var options = routes.ServiceProvider.GetRequiredService<IOptions<DashboardOptions>>().Value;
        if (!options.Enabled)
        {
            return routes;
        }

        var group = routes.MapGroup(options.Path)
            .ExcludeFromDescription()
            .AddEndpointFilter<DashboardAccessFilter>();
        if (options.HasPolicy)
        {
            group.RequireAuthorization(options.AuthorizationPolicy!);
        }

        group.MapOverviewEndpoints();
        group.MapJobPageEndpoints();
        group.MapJobActionEndpoints();
        group.MapRecurringPageEndpoints();
        group.MapStatusPageEndpoints();
        group.MapAssetEndpoints();
        return routes;
    }
}
