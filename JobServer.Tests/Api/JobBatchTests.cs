using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace JobServer.Tests.Api;

/// <summary>POST /api/jobs/batch: ids and states in order; an invalid item names itself and nothing is written.</summary>
public sealed class JobBatchTests(ApiFixture fixture, ITestOutputHelper output) : IClassFixture<ApiFixture>
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task Batch_CreatesEveryJobInOrder_WithItsState()
    {
        var parent = await Client.CreateJobAsync(new { type = "sleep", args = new { ms = 0 }, delay = "01:00:00" }, "Scheduled");

        using var response = await Client.PostAsJsonAsync("/api/jobs/batch", new
        {
            jobs = new object[]
            {
                new { type = "sleep", args = new { ms = 0 } },
                new { type = "sleep", args = new { ms = 0 }, delay = "01:00:00" },
                new { type = "sleep", args = new { ms = 0 }, after = parent },
                new { type = "sleep", args = new { ms = 0 }, queue = "critical" },
            },
        });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var ids = body.GetProperty("ids").EnumerateArray().Select(i => i.GetInt64()).ToList();
        Assert.Equal(["Enqueued", "Scheduled", "Awaiting", "Enqueued"], body.GetProperty("states").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(4, ids.Distinct().Count());
        await Client.UntilStateAsync(ids[0], "Succeeded");
        Assert.Equal("critical", (await Client.UntilStateAsync(ids[3], "Succeeded")).GetProperty("queue").GetString());
        Assert.Equal(parent, (await Client.GetJobAsync(ids[2])).GetProperty("parentId").GetInt64());
        Assert.Equal(ids[2], (await Client.GetJobAsync(parent)).GetProperty("continuations")[0].GetProperty("id").GetInt64());
    }

    [Theory]
    [InlineData("""{"jobs": []}""", "jobs")]
    [InlineData("""{"jobs": {}}""", "jobs")]
    [InlineData("""{}""", "jobs")]
    [InlineData("""{"jobs": [{"type": "sleep"}], "x": 1}""", "x")]
    [InlineData("""{"jobs": [{"type": "sleep"}, {"type": "sleep", "args": {"ms": -5}}]}""", "jobs[1].args.ms")]
    [InlineData("""{"jobs": [{"type": "sleep"}, 7]}""", "jobs[1]")]
    [InlineData("""{"jobs": [{"type": "bulk-insert", "args": {"rows": 10, "project": "p"}}]}""", "jobs[0].type")]
    public async Task InvalidBatch_Is400NamingTheItem_AndWritesNothing(string body, string field)
    {
        var before = fixture.CountJobRows();

        using var response = await Client.PostAsync("/api/jobs/batch", new StringContent(body, Encoding.UTF8, "application/json"));

        await JobApi.AssertProblemAsync(response, HttpStatusCode.BadRequest, field);
        Assert.Equal(before, fixture.CountJobRows());
    }

    [Fact]
    public async Task InvalidItemDeepInALargeBatch_IsNamed_AndNothingIsWritten()
    {
        var jobs = Enumerable.Range(0, 1000).Select(i => (object)new { type = "sleep", args = new { ms = i == 517 ? -1 : 0 } }).ToArray();
        var before = fixture.CountJobRows();

        using var response = await Client.PostAsJsonAsync("/api/jobs/batch", new { jobs });

        await JobApi.AssertProblemAsync(response, HttpStatusCode.BadRequest, "jobs[517].args.ms");
        Assert.Equal(before, fixture.CountJobRows());
    }

    /// <summary>Enough to show a batch is one request and one commit; the 10,000 limit itself is checked by TooManyJobs.</summary>
    private const int Count = 2_000;

    [Fact]
    public async Task ThousandsOfJobs_AreCreatedInOneRequest()
    {
        var jobs = Enumerable.Range(0, Count).Select(_ => (object)new { type = "sleep", args = new { ms = 0 }, queue = "batch-nobody" }).ToArray();

        var clock = Stopwatch.StartNew();
        using var response = await Client.PostAsJsonAsync("/api/jobs/batch", new { jobs });
        output.WriteLine($"{Count:N0} jobs in one batch: {clock.ElapsedMilliseconds} ms");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(Count, body.GetProperty("ids").GetArrayLength());
        var stats = await Client.GetFromJsonAsync<JsonElement>("/api/stats");
        Assert.Equal(Count, stats.GetProperty("queues").GetProperty("batch-nobody").GetProperty("enqueued").GetInt64());
    }

    [Fact]
    public async Task TooManyJobs_Is400()
    {
        var jobs = Enumerable.Range(0, 10_001).Select(_ => (object)new { type = "sleep" }).ToArray();

        using var response = await Client.PostAsJsonAsync("/api/jobs/batch", new { jobs });

        await JobApi.AssertProblemAsync(response, HttpStatusCode.BadRequest, "jobs");
    }
}
