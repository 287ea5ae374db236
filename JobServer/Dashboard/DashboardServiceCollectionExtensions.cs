using JobServer.Dashboard.Pages;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace JobServer.Dashboard;

internal static class DashboardServiceCollectionExtensions
{
    /// <summary>Binds <see cref="DashboardOptions"/> (validated at start-up) and adds what the pages need, antiforgery
    /// included. Called by <c>AddJobServer</c>.</summary>
    public static IServiceCollection AddJobServerDashboard(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DashboardOptions>()
            .Bind(configuration.GetSection(DashboardOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => string.IsNullOrEmpty(o.Username) == string.IsNullOrEmpty(o.Password), "JobServer:Dashboard needs both Username and Password, or neither.")
            .ValidateOnStart();

        services.AddAntiforgery();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<DashboardAssets>();
        services.AddSingleton<PageContextFactory>();
        return services;
    }
}
