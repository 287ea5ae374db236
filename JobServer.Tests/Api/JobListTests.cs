using System.Net.Http.Json;
using System.Text.Json;

namespace JobServer.Tests.Api;

/// <summary>GET /api/jobs: newest first, paged, filtered by state, queue and type. Jobs go to a queue of their own,
/// which no server reads, so the test controls every job it lists.</summary>
public sealed class JobListTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task List_IsNewestFirstAndPaged_WithTotal()
    {
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await Client.CreateJobAsync(new { type = "sleep", args = new { ms = i }, queue = "list-paging" }));
        }

        var first = await Client.GetFromJsonAsync<JsonElement>("/api/jobs?queue=list-paging&pageSize=2");
        var third = await Client.GetFromJsonAsync<JsonElement>("/api/jobs?queue=list-paging&pageSize=2&page=3");

        Assert.Equal(5, first.GetProperty("total").GetInt64());
        Assert.Equal(1, first.GetProperty("page").GetInt32());
        Assert.Equal(2, first.GetProperty("pageSize").GetInt32());
        Assert.Equal([ids[4], ids[3]], Ids(first));
        Assert.Equal([ids[0]], Ids(third));
        var item = first.GetProperty("items")[0];
        Assert.Equal(
            ["attempts", "createdAt", "finishedAt", "id", "progress", "queue", "startedAt", "state", "type"],
            item.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("sleep", item.GetProperty("type").GetString());
        Assert.Equal("list-paging", item.GetProperty("queue").GetString());
        Assert.Equal("Enqueued", item.GetProperty("state").GetString());
    }

    [Fact]
    public async Task List_FiltersByStateAndType()
    {
        var enqueued = await Client.CreateJobAsync(new { type = "sleep", args = new { ms = 0 }, queue = "list-filters" });
        var scheduled = await Client.CreateJobAsync(new { type = "sleep", args = new { ms = 0 }, queue = "list-filters", delay = "01:00:00" }, "Scheduled");
        var failing = await Client.CreateJobAsync(new { type = "fail", args = new { message = "x" }, queue = "list-filters" });

        Assert.Equal([scheduled], Ids(await Client.GetFromJsonAsync<JsonElement>("/api/jobs?queue=list-filters&state=scheduled")));
        Assert.Equal([failing], Ids(await Client.GetFromJsonAsync<JsonElement>("/api/jobs?queue=list-filters&type=fail")));
        Assert.Equal([scheduled, enqueued], Ids(await Client.GetFromJsonAsync<JsonElement>("/api/jobs?queue=list-filters&type=sleep")));
        var all = await Client.GetFromJsonAsync<JsonElement>("/api/jobs?pageSize=500");
        Assert.Contains(failing, Ids(all));
    }

    private static List<long> Ids(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()).ToList();
}
