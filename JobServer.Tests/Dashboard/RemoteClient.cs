using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace JobServer.Tests.Dashboard;

/// <summary>
/// Makes every request look as if it came from another machine: the in-memory TestServer has no addresses at all
/// (which the dashboard counts as local), so a middleware ahead of the whole app sets the connection's remote address,
/// exactly where Kestrel would have.
/// </summary>
internal sealed class RemoteClient(IPAddress address) : IStartupFilter
{
    /// <summary>TEST-NET-3 (RFC 5737): an address that is never this machine.</summary>
    public static readonly IPAddress Address = IPAddress.Parse("203.0.113.9");

    public static void Simulate(IServiceCollection services, IPAddress? address = null) =>
        services.AddSingleton<IStartupFilter>(new RemoteClient(address ?? Address));

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((HttpContext context, RequestDelegate nextMiddleware) =>
        {
            context.Connection.RemoteIpAddress = address;
            context.Connection.LocalIpAddress = IPAddress.Parse("192.0.2.1");
            return nextMiddleware(context);
        });
        next(app);
    };
}
