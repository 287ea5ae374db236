using Hangfire.Dashboard;
using JobServer.Hosting.Security;

namespace JobServer.Dashboard;

/// <summary>
/// Who may open the dashboard (every page, every command, the progress route): with credentials configured, a valid
/// HTTP Basic header (else 401 with a challenge, so a browser asks); with neither credentials nor a policy, a request
/// from this machine. A configured policy is enforced by ASP.NET Core's authorization before Hangfire sees the request
/// (<c>MapHangfireDashboardWithAuthorizationPolicy</c>). Hangfire answers a refused request 401, or 403 when the user is
/// authenticated.
/// </summary>
internal sealed class DashboardAccessFilter(JobServerDashboardOptions options) : IDashboardAuthorizationFilter
{
    private readonly BasicCredentials? _credentials = options.CreateCredentials();

    public bool Authorize(DashboardContext context)
    {
        var http = context.GetHttpContext();
        if (_credentials is not null && !_credentials.Accepts(http.Request.Headers.Authorization))
        {
            BasicCredentials.WriteChallengeHeader(http.Response);
            return false;
        }

        return !options.LocalOnly || RequestOrigin.IsLocal(http.Connection);
    }
}
