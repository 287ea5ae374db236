using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;

namespace JobServer.Dashboard.Pages;

/// <summary>Builds the <see cref="PageContext"/> of a request. Called by page handlers, after the access filter has
/// let the request in, so nobody who may not see the dashboard gets a token or consumes a flash message.</summary>
internal sealed class PageContextFactory(IOptions<DashboardOptions> options, IAntiforgery antiforgery, DashboardAssets assets, TimeProvider time)
{
    public DashboardLinks Links(HttpContext context) => new(context.Request.PathBase, options.Value.Path, assets.Version);

    public PageContext Create(HttpContext context)
    {
        var links = Links(context);
        var readOnly = options.Value.ReadOnly;
        var tokens = readOnly ? null : antiforgery.GetAndStoreTokens(context);
        var request = context.Request;
        return new PageContext(
            links,
            readOnly,
            tokens?.FormFieldName,
            tokens?.RequestToken,
            FlashMessage.Take(context, links.Home),
            time.GetUtcNow().UtcDateTime,
            request.PathBase.ToUriComponent() + request.Path.ToUriComponent() + request.QueryString.ToUriComponent());
    }
}
