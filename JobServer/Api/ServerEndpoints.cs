using JobServer.Engine;
using JobServer.Storage;
using Microsoft.Extensions.Options;

namespace JobServer.Api;

internal static class ServerEndpoints
{
    public static IEndpointRouteBuilder MapServerEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/api/servers").WithTags("Servers").MapGet("/", (IJobReader reader, IOptions<JobServerOptions> options, TimeProvider time) =>
        {
            var cutoff = time.GetUtcNow().UtcDateTime - options.Value.ServerTimeout;
            return TypedResults.Ok(reader.GetServers()
                .Select(s => new ServerResponse(s.Id, s.Queues, s.Workers, s.Busy, s.StartedAt, s.HeartbeatAt, s.HeartbeatAt >= cutoff))
                .ToList());
        });
        return routes;
    }
}
