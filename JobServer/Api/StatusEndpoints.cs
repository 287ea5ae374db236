using Hangfire;
using Hangfire.Storage;
using JobServer.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace JobServer.Api;

/// <summary><c>/api/servers</c>, <c>/api/stats</c> and <c>/health</c>, all from Hangfire's monitoring API and connection.</summary>
internal static class StatusEndpoints
{
    /// <summary>How many running jobs are read to count each server's busy workers; past it, busy is left out.</summary>
    private const int BusyScanLimit = 10_000;

    public static IEndpointRouteBuilder MapStatusEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapGet("/api/servers", Servers).WithTags("Servers");
        api.MapGet("/api/stats", Stats).WithTags("Stats");
        return api;
    }

    public static IEndpointRouteBuilder MapHealthEndpoint(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/health", Health).WithTags("Health");
        return routes;
    }

    private static Ok<List<ServerResponse>> Servers(JobStorage storage, IOptions<JobServerOptions> options, TimeProvider time)
    {
        var monitoring = storage.GetMonitoringApi();
        var servers = monitoring.Servers();
        Dictionary<string, int>? busy = null;
        if (monitoring.ProcessingCount() <= BusyScanLimit)
        {
            busy = monitoring.ProcessingJobs(0, BusyScanLimit)
                .Where(job => job.Value is { InProcessingState: true, ServerId: not null })
                .GroupBy(job => job.Value.ServerId, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => g.Count(), StringComparer.OrdinalIgnoreCase);
        }

        var cutoff = time.GetUtcNow().UtcDateTime - options.Value.ServerTimeout;
        return TypedResults.Ok(servers
            .Select(s => new ServerResponse(
                s.Name,
                NameOf(s.Name),
                s.Queues?.ToList() ?? [],
                s.WorkersCount,
                busy is null ? null : busy.GetValueOrDefault(s.Name),
                s.StartedAt,
                s.Heartbeat,
                s.Heartbeat >= cutoff))
            .ToList());
    }

    /// <summary>Hangfire's server id is "{server name}:{process id}:{random}", the name lowercased; the name is what is left.</summary>
    private static string? NameOf(string id)
    {
        var last = id.LastIndexOf(':');
        var second = last > 0 ? id.LastIndexOf(':', last - 1) : -1;
        return second > 0 ? id[..second] : null;
    }

    private static Ok<StatsResponse> Stats(JobStorage storage)
    {
        var monitoring = storage.GetMonitoringApi();
        var statistics = monitoring.GetStatistics();
        var states = new Dictionary<string, long>
        {
            ["Enqueued"] = statistics.Enqueued,
            ["Scheduled"] = statistics.Scheduled,
            ["Awaiting"] = statistics.Awaiting ?? 0,
            ["Processing"] = statistics.Processing,
            ["Succeeded"] = statistics.Succeeded,
            ["Failed"] = statistics.Failed,
            ["Deleted"] = statistics.Deleted,
        };
        var queues = monitoring.Queues().ToDictionary(
            q => q.Name,
            q => new QueueStatsResponse(q.Length, q.Fetched ?? 0));
        return TypedResults.Ok(new StatsResponse(states, queues));
    }

    /// <summary>One cheap query through the storage (the database's clock); 503 while MySQL does not answer.</summary>
    private static Results<Ok<HealthResponse>, JsonHttpResult<HealthResponse>> Health(JobStorage storage, ILoggerFactory loggers)
    {
        try
        {
            using var connection = (JobStorageConnection)storage.GetConnection();
            connection.GetUtcDateTime();
            return TypedResults.Ok(new HealthResponse("Healthy", "up"));
        }
        catch (Exception ex) when (DatabaseUnavailable.IsCause(ex) || ex is MySqlConnector.MySqlException)
        {
            loggers.CreateLogger("JobServer.Health").LogWarning("Health check: the database does not answer ({Message})", ex.Message);
            return TypedResults.Json(new HealthResponse("Unhealthy", "down"), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
