using JobServer.Hosting.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace JobServer.Api;

/// <summary>
/// Guards the API's changing requests (anything but GET and HEAD) by <see cref="ApiAccessOptions"/>: Basic credentials
/// (401 with a challenge), an authorization policy (403), or — with neither configured — a request from this machine
/// (403 naming what to configure). A job server reachable from a network must not take orders from anyone on it.
/// </summary>
internal sealed class ApiWriteAccessFilter(IOptions<ApiAccessOptions> options, IAuthorizationService authorization) : IEndpointFilter
{
    private readonly ApiAccessOptions _options = options.Value;
    private readonly BasicCredentials? _credentials = options.Value.CreateCredentials();

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method))
        {
            return await next(context);
        }

        if (_credentials is not null && !_credentials.Accepts(http.Request.Headers.Authorization))
        {
            BasicCredentials.WriteChallengeHeader(http.Response);
            return ApiProblems.Status(StatusCodes.Status401Unauthorized, "Credentials required.", "Send the user name and password configured in JobServer:Api.");
        }

        if (_options.HasPolicy && !(await authorization.AuthorizeAsync(http.User, _options.AuthorizationPolicy!)).Succeeded)
        {
            return ApiProblems.Status(StatusCodes.Status403Forbidden, "Not allowed.", $"This request needs the authorization policy '{_options.AuthorizationPolicy}'.");
        }

        if (_options.LocalOnly && !RequestOrigin.IsLocal(http.Connection))
        {
            return ApiProblems.Status(
                StatusCodes.Status403Forbidden,
                "Changes are only accepted from this machine.",
                "Configure JobServer:Api:Username and Password, or JobServer:Api:AuthorizationPolicy, to accept them from elsewhere.");
        }

        return await next(context);
    }
}
