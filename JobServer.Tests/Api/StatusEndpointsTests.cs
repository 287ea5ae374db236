using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace JobServer.Tests.Api;

/// <summary><c>/api/servers</c>, <c>/api/stats</c>, <c>/health</c> and what every response carries.</summary>
public sealed class StatusEndpointsTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private static readonly string[] AllStates = ["Enqueued", "Scheduled", "Awaiting", "Processing", "Succeeded", "Failed", "Deleted"];

    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task Servers_List_ShowsThisServerAliveWithQueuesAndWorkers()
    {
        var servers = await Client.GetFromJsonAsync<JsonElement>("/api/servers");

        var server = Assert.Single(servers.EnumerateArray(), s => s.GetProperty("id").GetString() == fixture.Factory.ServerId);
        Assert.Equal(ApiFactory.Queues, server.GetProperty("queues").EnumerateArray().Select(q => q.GetString()));
        Assert.Equal(ApiFactory.Workers, server.GetProperty("workers").GetInt32());
        Assert.True(server.GetProperty("alive").GetBoolean());
        ApiAssert.UtcTime(server, "startedAt");
        ApiAssert.UtcTime(server, "heartbeatAt");
    }

    [Fact]
    public async Task Stats_States_HaveEveryStateKeyAndQueues()
    {
        var stats = await Client.GetFromJsonAsync<JsonElement>("/api/stats");

        Assert.Equal(["queues", "states"], stats.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(AllStates.Order(), stats.GetProperty("states").EnumerateObject().Select(p => p.Name).Order());
        Assert.All(stats.GetProperty("states").EnumerateObject(), p => Assert.True(p.Value.GetInt64() >= 0));
        Assert.Equal(JsonValueKind.Object, stats.GetProperty("queues").ValueKind);
    }

    [Fact]
    public async Task Stats_AfterJobSucceeds_SucceededCountGrows()
    {
        var before = await Client.StateCountAsync("Succeeded");

        var id = await Client.CreateJobAsync(new { type = "sleep" });
        await Client.UntilStateAsync(id, "Succeeded");

        await ApiFactory.UntilAsync(() => Client.StateCountAsync("Succeeded"), n => n == before + 1, "the Succeeded count to grow by one");
    }

    [Fact]
    public async Task Stats_ScheduleThenDelete_MovesScheduledAndDeletedCounts()
    {
        var scheduled = await Client.StateCountAsync("Scheduled");
        var deleted = await Client.StateCountAsync("Deleted");

        var id = await Client.CreateJobAsync(new { type = "sleep", queue = "stats-q", delay = "01:00:00" }, expectedState: "Scheduled");
        var stats = await Client.GetFromJsonAsync<JsonElement>("/api/stats");
        Assert.Equal(scheduled + 1, stats.GetProperty("states").GetProperty("Scheduled").GetInt64());
        var queue = stats.GetProperty("queues").GetProperty("stats-q");
        Assert.Equal((0, 0, 1), (queue.GetProperty("enqueued").GetInt64(), queue.GetProperty("processing").GetInt64(), queue.GetProperty("scheduled").GetInt64()));

        await Client.DeleteJobAsync(id);
        Assert.Equal(scheduled, await Client.StateCountAsync("Scheduled"));
        await ApiFactory.UntilAsync(() => Client.StateCountAsync("Deleted"), n => n == deleted + 1, "the Deleted count to grow by one");
    }

    [Fact]
    public async Task Health_DatabaseUp_Returns200Healthy()
    {
        using var response = await Client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("GET", "/health")]
    [InlineData("GET", "/api/stats")]
    [InlineData("GET", "/api/servers")]
    [InlineData("GET", "/api/jobs")]
    [InlineData("GET", "/api/jobs/987654321")]
    [InlineData("GET", "/api/jobs?page=0")]
    [InlineData("POST", "/api/jobs")]
    [InlineData("GET", "/no-such-route")]
    public async Task AnyResponse_Always_HasServerTimingHeader(string method, string path)
    {
        using var response = await Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Matches(@"^app;dur=\d+(\.\d+)?$", Assert.Single(response.Headers.GetValues("Server-Timing")));
    }
}
