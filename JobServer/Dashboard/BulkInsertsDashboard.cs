using Hangfire;
using Hangfire.Dashboard;

namespace JobServer.Dashboard;

/// <summary>
/// The dashboard's Bulk inserts page (<c>{dashboard}/bulk-inserts</c>, in the navigation bar): rows per project
/// through <c>selectCountData</c>, the bulk inserts in flight and the latest finished ones with their progress, and a
/// form that starts one. Hangfire's routes and menu are process-wide lists, so registering twice does nothing.
/// </summary>
public static class BulkInsertsDashboard
{
    /// <summary>The page's route, relative to the dashboard's path.</summary>
    public const string Route = "/bulk-inserts";

    private static int _registered;

    public static IGlobalConfiguration UseBulkInsertsPage(this IGlobalConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (Interlocked.Exchange(ref _registered, 1) == 1) return configuration;
        DashboardRoutes.Routes.Add(Route, new BulkInsertsDispatcher());
        NavigationMenu.Items.Add(page => new MenuItem(BulkInsertsPage.Title, page.Url.To(Route))
        {
            Active = page.RequestPath.StartsWith(Route, StringComparison.OrdinalIgnoreCase),
        });
        return configuration;
    }
}
