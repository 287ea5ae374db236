using JobServer.Dashboard.Html;
using JobServer.Dashboard.Pages;
using JobServer.Hosting.Security;
using JobServer.Storage;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;

namespace JobServer.Dashboard.Security;

/// <summary>
/// Guards every dashboard endpoint (pages, actions, JSON, assets), in this order:
/// <list type="number">
/// <item>Who: with credentials configured, a valid HTTP Basic header (else 401 with a challenge); with neither
/// credentials nor a policy, a local request (else 403). A configured policy is enforced before this filter runs, by
/// ASP.NET Core's authorization middleware (<c>RequireAuthorization</c> on the group).</item>
/// <item>What: a POST is refused with 403 in read-only mode, with 400 without a valid antiforgery token, and with
/// 415 or 400 when its body is no form that can be read.</item>
/// </list>
/// It also turns a database outage into a 503 page instead of an error report.
/// </summary>
internal sealed class DashboardAccessFilter(IOptions<DashboardOptions> options, IAntiforgery antiforgery) : IEndpointFilter
{
    private readonly DashboardOptions _options = options.Value;
    private readonly BasicCredentials? _credentials = options.Value.CreateCredentials();

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        HtmlPage.AddSecurityHeaders(http.Response);
        // no-cache as well as no-store: antiforgery insists on no-cache for pages carrying its token, and warns otherwise.
        http.Response.Headers.CacheControl = "no-cache, no-store";
        http.Response.Headers.Pragma = "no-cache";

        if (_credentials is not null && !_credentials.Accepts(http.Request.Headers.Authorization))
        {
            BasicCredentials.WriteChallengeHeader(http.Response);
            return Layout.Bare(StatusCodes.Status401Unauthorized, "Sign-in required", "The dashboard needs the user name and password configured in JobServer:Dashboard.");
        }

        if (_options.LocalOnly && !RequestOrigin.IsLocal(http.Connection))
        {
            return Layout.Bare(
                StatusCodes.Status403Forbidden,
                "Only local requests",
                "By default the dashboard answers only requests from this machine. To open it from elsewhere, configure " +
                "JobServer:Dashboard:Username and Password, or JobServer:Dashboard:AuthorizationPolicy.");
        }

        var home = http.Request.PathBase + _options.Path;
        if (HttpMethods.IsPost(http.Request.Method))
        {
            if (_options.ReadOnly)
            {
                return Layout.Bare(StatusCodes.Status403Forbidden, "Read-only dashboard", "This dashboard is read-only (JobServer:Dashboard:ReadOnly): it does not change jobs.", home);
            }

            if (!await HasValidAntiforgeryTokenAsync(http))
            {
                return Layout.Bare(StatusCodes.Status400BadRequest, "The form has expired", "The action was not sent from a current dashboard page. Go back, reload the page and try again.", home);
            }

            if (!http.Request.HasFormContentType)
            {
                return Layout.Bare(StatusCodes.Status415UnsupportedMediaType, "Not a form", "Dashboard actions are sent as HTML forms.", home);
            }

            if (!await HasReadableFormAsync(http))
            {
                return Layout.Bare(StatusCodes.Status400BadRequest, "The form could not be read", "The form is too large or malformed.", home);
            }
        }

        try
        {
            return await next(context);
        }
        catch (StorageUnavailableException)
        {
            http.Response.Headers.RetryAfter = "5";
            return Layout.Bare(StatusCodes.Status503ServiceUnavailable, "Database unavailable", "The job database does not answer. The page will work again once it is back.", home);
        }
    }

    /// <summary>Antiforgery also takes its token from a request header, and then never reads the body: the actions
    /// must not be the first to find out that it is no form they can read (that was a 500).</summary>
    private static async Task<bool> HasReadableFormAsync(HttpContext http)
    {
        try
        {
            await http.Request.ReadFormAsync(http.RequestAborted);
            return true;
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }

    private async Task<bool> HasValidAntiforgeryTokenAsync(HttpContext http)
    {
        try
        {
            await antiforgery.ValidateRequestAsync(http);
            return true;
        }
        catch (AntiforgeryValidationException)
        {
            return false;
        }
        catch (InvalidDataException)
        {
            // A form body the server would not read (too large, malformed): no token could be found in it.
            return false;
        }
    }
}
