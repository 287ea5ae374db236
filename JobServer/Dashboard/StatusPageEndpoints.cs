using JobServer.Dashboard.Pages;
using JobServer.Engine;
using JobServer.Storage;
using Microsoft.Extensions.Options;

namespace JobServer.Dashboard;

/// <summary>The servers page (heartbeats judged against <see cref="JobServerOptions.ServerTimeout"/>) and the queues page.</summary>
internal static class StatusPageEndpoints
{
    public static RouteGroupBuilder MapStatusPageEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/servers", (HttpContext http, PageContextFactory pages, IJobReader reader, IOptions<JobServerOptions> options) =>
            ServersPage.Render(pages.Create(http), reader.GetServers(), options.Value.ServerTimeout));
        group.MapGet("/queues", (HttpContext http, PageContextFactory pages, IJobReader reader) =>
            QueuesPage.Render(pages.Create(http), reader.GetQueues()));
        return group;
    }
}
