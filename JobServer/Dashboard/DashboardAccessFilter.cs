using Hangfire.Dashboard;
using JobServer.Hosting.Security;

namespace JobServer.Dashboard;

/// <summary>
/// Who may open the dashboard (every page, every command, the progress route) and what it may change:
/// <list type="bullet">
/// <item>with credentials configured, a valid HTTP Basic header, else 401 with a Basic challenge (so a browser asks);</item>
/// <item>with neither credentials nor a policy, a request from this machine, else 403 (no credentials would help);</item>
/// <item>in read-only mode, no command: every POST but the counters' poll is refused 403.</item>
/// </list>
/// A configured policy is enforced by ASP.NET Core's authorization on the endpoint before Hangfire sees the request.
/// </summary>
/// <remarks>
/// The filter writes the refusal itself: Hangfire would answer any refusal 401 (403 for a signed-in user), without
/// a challenge, and its read-only commands 401 too. A response that has started is left as it is by Hangfire.
/// </remarks>
internal sealed class DashboardAccessFilter(JobServerDashboardOptions options) : IDashboardAsyncAuthorizationFilter
{
    /// <summary>The one POST route that changes nothing: the pages poll the counters through it.</summary>
    private const string StatsPath = "/stats";

    private readonly BasicCredentials? _credentials = options.CreateCredentials();

    public async Task<bool> AuthorizeAsync(DashboardContext context)
    {
        var http = context.GetHttpContext();
        if (_credentials is not null && !_credentials.Accepts(http.Request.Headers.Authorization))
        {
            BasicCredentials.WriteChallengeHeader(http.Response);
            await RefuseAsync(http, StatusCodes.Status401Unauthorized, "This dashboard needs a user name and password.");
            return false;
        }

        if (options.LocalOnly && !RequestOrigin.IsLocal(http.Connection))
        {
            await RefuseAsync(http, StatusCodes.Status403Forbidden,
                "This dashboard answers only requests from this machine. To open it to others, configure "
                + "JobServer:Dashboard:Username and Password, or JobServer:Dashboard:AuthorizationPolicy.");
            return false;
        }

        if (context.IsReadOnly && IsCommand(http.Request))
        {
            await RefuseAsync(http, StatusCodes.Status403Forbidden, "This dashboard is read-only (JobServer:Dashboard:ReadOnly).");
            return false;
        }

        return true;
    }

    private static bool IsCommand(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && !request.Path.Equals(StatsPath, StringComparison.OrdinalIgnoreCase);

    private static async Task RefuseAsync(HttpContext http, int status, string message)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/plain; charset=utf-8";
        await http.Response.WriteAsync(message);
    }
}
