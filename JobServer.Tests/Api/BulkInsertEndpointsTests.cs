using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace JobServer.Tests.Api;

/// <summary>POST /api/bulk-insert and GET /api/bulk-insert/count, the per-project guard included.</summary>
public sealed class BulkInsertEndpointsTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task BulkInsert_InsertsTheRows_AndCountReadsThem()
    {
        using var response = await Client.PostAsJsonAsync("/api/bulk-insert", new { rows = 2500, project = "bi-count", chunkSize = 1000 });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

        var job = await Client.UntilStateAsync(id, "Succeeded");

        Assert.Equal("bulk-insert", job.GetProperty("type").GetString());
        Assert.Equal(2500, job.GetProperty("progress").GetProperty("done").GetInt64());
        Assert.Equal(2500, job.GetProperty("progress").GetProperty("total").GetInt64());
        var count = await Client.GetFromJsonAsync<JsonElement>("/api/bulk-insert/count?project=bi-count");
        Assert.Equal("bi-count", count.GetProperty("project").GetString());
        Assert.Equal(2500, count.GetProperty("rows").GetInt64());
    }

    [Fact]
    public async Task SecondBulkInsertOfAProject_Is409WhileTheFirstIsQueued()
    {
        // No server reads this queue: the first job stays queued and keeps the project's slot.
        using var first = await Client.PostAsJsonAsync("/api/bulk-insert", new { rows = 10, project = "bi-held", queue = "bi-nobody" });
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var firstId = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

        using var second = await Client.PostAsJsonAsync("/api/bulk-insert", new { rows = 10, project = "bi-held" });
        using var viaJobs = await Client.PostAsJsonAsync("/api/jobs", new { type = "bulk-insert", args = new { rows = 10, project = "bi-held" } });
        using var otherProject = await Client.PostAsJsonAsync("/api/bulk-insert", new { rows = 10, project = "bi-other", queue = "bi-nobody" });

        var problem = await JobApi.AssertProblemAsync(second, HttpStatusCode.Conflict);
        Assert.Equal([firstId], problem.GetProperty("existingJobIds").EnumerateArray().Select(i => i.GetInt64()));
        Assert.Contains("bi-held", problem.GetProperty("detail").GetString());
        await JobApi.AssertProblemAsync(viaJobs, HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.Accepted, otherProject.StatusCode);

        await Client.DeleteJobAsync(firstId);
        using var afterDelete = await Client.PostAsJsonAsync("/api/bulk-insert", new { rows = 10, project = "bi-held", queue = "bi-nobody" });
        Assert.Equal(HttpStatusCode.Accepted, afterDelete.StatusCode);
    }

    [Theory]
    [InlineData("""{"project": "p"}""", "rows")]
    [InlineData("""{"rows": 10}""", "project")]
    [InlineData("""{"rows": 0, "project": "p"}""", "rows")]
    [InlineData("""{"rows": 10000001, "project": "p"}""", "rows")]
    [InlineData("""{"rows": 10, "project": "p", "chunkSize": 5}""", "chunkSize")]
    [InlineData("""{"rows": 10, "project": "p", "args": {}}""", "args")]
    [InlineData("""{"rows": 10, "project": "p", "delay": "x"}""", "delay")]
    public async Task InvalidBulkInsert_Is400NamingTheFieldAsSent(string body, string field)
    {
        using var response = await Client.PostAsync("/api/bulk-insert", new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = await JobApi.AssertProblemAsync(response, HttpStatusCode.BadRequest, field);
        Assert.StartsWith(field + ":", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Count_RefusesTwoProjects()
    {
        using var response = await Client.GetAsync("/api/bulk-insert/count?project=a&project=b");

        await JobApi.AssertProblemAsync(response, HttpStatusCode.BadRequest, "project");
    }
}
