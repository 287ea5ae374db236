using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace JobServer.Tests.Api;

/// <summary>Servers, stats, health, OpenAPI and Server-Timing on the running host.</summary>
public sealed class StatusEndpointsTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task Servers_ListsThisHostsPoolsAlive()
    {
        var servers = await Client.GetFromJsonAsync<JsonElement>("/api/servers");

        var mine = servers.EnumerateArray()
            .Where(s => s.GetProperty("id").GetString()!.StartsWith(fixture.Factory.ServerName + ":", StringComparison.OrdinalIgnoreCase))
            .ToList();
        Assert.Equal(2, mine.Count);
        var pool = mine.Single(s => s.GetProperty("queues").EnumerateArray().Any(q => q.GetString() == "critical"));
        Assert.Equal(["critical", "default"], pool.GetProperty("queues").EnumerateArray().Select(q => q.GetString()));
        Assert.Equal(5, pool.GetProperty("workers").GetInt32());
        Assert.True(pool.GetProperty("alive").GetBoolean());
        Assert.Equal(0, pool.GetProperty("busy").GetInt32());
        Assert.StartsWith(fixture.Factory.ServerName, pool.GetProperty("name").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.True(pool.GetProperty("heartbeatAt").GetDateTime() >= pool.GetProperty("startedAt").GetDateTime());
    }

    [Fact]
    public async Task Stats_CountsEveryStateAndQueue()
    {
        var id = await Client.CreateJobAsync(new { type = "sleep", args = new { ms = 0 }, delay = "01:00:00" }, "Scheduled");

        var stats = await Client.GetFromJsonAsync<JsonElement>("/api/stats");

        Assert.Equal(["Enqueued", "Scheduled", "Awaiting", "Processing", "Succeeded", "Failed", "Deleted"],
            stats.GetProperty("states").EnumerateObject().Select(p => p.Name));
        Assert.True(stats.GetProperty("states").GetProperty("Scheduled").GetInt64() >= 1);
        Assert.Equal(JsonValueKind.Object, stats.GetProperty("queues").ValueKind);
        await Client.DeleteJobAsync(id);
    }

    [Fact]
    public async Task Stats_QueueCountsEnqueuedAndProcessing()
    {
        // The "nobody" queue has no server, so its job stays enqueued.
        var id = await Client.CreateJobAsync(new { type = "sleep", args = new { ms = 0 }, queue = "nobody" });

        var stats = await Client.GetFromJsonAsync<JsonElement>("/api/stats");

        var queue = stats.GetProperty("queues").GetProperty("nobody");
        Assert.Equal(1, queue.GetProperty("enqueued").GetInt64());
        Assert.Equal(0, queue.GetProperty("processing").GetInt64());
        await Client.DeleteJobAsync(id);
    }

    [Fact]
    public async Task Health_IsHealthyWhileTheDatabaseAnswers()
    {
        using var response = await Client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        Assert.Equal("up", body.GetProperty("database").GetString());
    }

    [Fact]
    public async Task OpenApiDocument_ListsTheRoutes()
    {
        var document = await Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();
        foreach (var path in new[] { "/api/jobs", "/api/jobs/batch", "/api/jobs/{id}", "/api/jobs/{id}/requeue", "/api/servers", "/api/stats", "/health", "/api/bulk-insert", "/api/bulk-insert/count" })
        {
            Assert.Contains(path, paths);
        }
    }

    [Theory]
    [InlineData("/api/stats")]
    [InlineData("/health")]
    [InlineData("/api/jobs/999999999")]
    public async Task EveryResponse_CarriesServerTiming(string path)
    {
        using var response = await Client.GetAsync(path);

        Assert.Matches(@"^app;dur=[0-9]+\.[0-9]$", string.Join(",", response.Headers.GetValues("Server-Timing")));
    }
}
