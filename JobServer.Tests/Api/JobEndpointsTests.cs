using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using JobServer.Tests.Infrastructure;

namespace JobServer.Tests.Api;

/// <summary>The HTTP contract of issue 2 §5, against the real host, engine and MariaDB.</summary>
public sealed class JobEndpointsTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task Create_SleepJob_Returns202WithIdStateAndLocation()
    {
        using var response = await Client.PostAsJsonAsync("/api/jobs", new { type = "sleep", args = new { ms = 1 } });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = body.GetProperty("id").GetInt64();
        Assert.True(id > 0);
        Assert.Equal("Enqueued", body.GetProperty("state").GetString());
        Assert.Equal($"/api/jobs/{id}", response.Headers.Location?.OriginalString);
        await Client.UntilStateAsync(id, "Succeeded");
    }

    [Fact]
    public async Task Get_SucceededSleepJob_HasEveryFieldOfTheContract()
    {
        var id = await Client.CreateJobAsync(new { type = "sleep", args = new { ms = 5 } });

        var job = await Client.UntilStateAsync(id, "Succeeded");

        Assert.Equal(
            ["args", "attempts", "continuations", "createdAt", "finishedAt", "history", "id", "parentId", "progress", "queue", "result", "startedAt", "state", "type"],
            job.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(id, job.GetProperty("id").GetInt64());
        Assert.Equal("sleep", job.GetProperty("type").GetString());
        Assert.Equal(5, job.GetProperty("args").GetProperty("ms").GetInt32());
        Assert.Equal("default", job.GetProperty("queue").GetString());
        Assert.Equal(1, job.GetProperty("attempts").GetInt32());
        Assert.Equal(JsonValueKind.Null, job.GetProperty("progress").ValueKind);
        Assert.Equal("""{"slept":5}""", job.GetProperty("result").GetRawText());
        var created = ApiAssert.UtcTime(job, "createdAt");
        var started = ApiAssert.UtcTime(job, "startedAt");
        var finished = ApiAssert.UtcTime(job, "finishedAt");
        Assert.True(created <= started && started <= finished, $"{created:O} <= {started:O} <= {finished:O}");

        var history = job.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal(["Enqueued", "Processing", "Succeeded"], history.Select(h => h.GetProperty("state").GetString()));
        Assert.Equal(fixture.Factory.ServerId, history[1].GetProperty("server").GetString());
        Assert.All(history, h =>
        {
            ApiAssert.UtcTime(h, "at");
            Assert.True(h.TryGetProperty("reason", out _));
            Assert.False(h.TryGetProperty("exception", out _));
        });
    }

    [Fact]
    public async Task Create_WithDelay_Returns202Scheduled()
    {
        using var response = await Client.PostAsJsonAsync("/api/jobs", new { type = TestJobRegistration.Record, delay = "00:01:00" });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = body.GetProperty("id").GetInt64();
        Assert.Equal("Scheduled", body.GetProperty("state").GetString());
        var job = await Client.GetJobAsync(id);
        Assert.Equal("Scheduled", job.GetProperty("state").GetString());
        Assert.Equal(["Scheduled"], JobApi.HistoryStates(job));
        await Client.DeleteJobAsync(id);
    }

    [Fact]
    public async Task Create_WithRunAtInTheFuture_IsScheduled()
    {
        var runAt = DateTime.UtcNow.AddDays(1).ToString("O");

        var id = await Client.CreateJobAsync(new { type = TestJobRegistration.Record, runAt }, expectedState: "Scheduled");

        Assert.Equal("Scheduled", (await Client.GetJobAsync(id)).GetProperty("state").GetString());
        await Client.DeleteJobAsync(id);
    }

    [Fact]
    public async Task List_SucceededWithPaging_ReturnsNewestFirstWithTotal()
    {
        var ids = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await Client.CreateJobAsync(new { type = "sleep", args = new { ms = 0 } }));
        }

        foreach (var id in ids)
        {
            await Client.UntilStateAsync(id, "Succeeded");
        }

        var page = await Client.GetFromJsonAsync<JsonElement>("/api/jobs?state=Succeeded&pageSize=2&page=1");

        Assert.Equal([ids[2], ids[1]], page.GetProperty("items").EnumerateArray().Select(j => j.GetProperty("id").GetInt64()));
        Assert.All(page.GetProperty("items").EnumerateArray(), j => Assert.Equal("Succeeded", j.GetProperty("state").GetString()));
        Assert.Equal(CountInDatabase("state = 'Succeeded'"), page.GetProperty("total").GetInt64());
        Assert.Equal(1, page.GetProperty("page").GetInt32());
        Assert.Equal(2, page.GetProperty("pageSize").GetInt32());
    }

    [Fact]
    public async Task List_ByQueueAndType_ReturnsOnlyMatchingJobs()
    {
        // A queue no server works: the jobs stay Enqueued, so the filter sees exactly these three.
        var queue = "idle-" + Guid.NewGuid().ToString("N")[..8];
        var sleep1 = await Client.CreateJobAsync(new { type = "sleep", queue });
        var record = await Client.CreateJobAsync(new { type = TestJobRegistration.Record, queue });
        var sleep2 = await Client.CreateJobAsync(new { type = "sleep", queue });

        var byQueue = await Client.GetFromJsonAsync<JsonElement>($"/api/jobs?queue={queue}");
        var byQueueAndType = await Client.GetFromJsonAsync<JsonElement>($"/api/jobs?queue={queue}&type=sleep");
        var byType = await Client.GetFromJsonAsync<JsonElement>($"/api/jobs?type={TestJobRegistration.Record}&pageSize=500");

        Assert.Equal([sleep2, record, sleep1], Ids(byQueue));
        Assert.Equal(3, byQueue.GetProperty("total").GetInt64());
        Assert.Equal([sleep2, sleep1], Ids(byQueueAndType));
        Assert.Equal(2, byQueueAndType.GetProperty("total").GetInt64());
        Assert.Contains(record, Ids(byType));
        Assert.All(byType.GetProperty("items").EnumerateArray(), j => Assert.Equal(TestJobRegistration.Record, j.GetProperty("type").GetString()));
        Assert.Equal(CountInDatabase($"type = '{TestJobRegistration.Record}'"), byType.GetProperty("total").GetInt64());
        foreach (var id in new[] { sleep1, record, sleep2 })
        {
            await Client.DeleteJobAsync(id);
        }
    }

    [Fact]
    public async Task Requeue_SucceededJob_RunsItAgain()
    {
        var id = await Client.CreateJobAsync(new { type = TestJobRegistration.Record });
        await Client.UntilStateAsync(id, "Succeeded");

        using var response = await Client.PostAsync($"/api/jobs/{id}/requeue", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Enqueued", body.GetProperty("state").GetString());
        var job = await Client.UntilJobAsync(id, j => JobApi.HistoryStates(j).Count(s => s == "Succeeded") == 2, "to succeed twice");
        Assert.Equal(["Enqueued", "Processing", "Succeeded", "Enqueued", "Processing", "Succeeded"], JobApi.HistoryStates(job));
        Assert.Equal(1, job.GetProperty("attempts").GetInt32());
        Assert.Equal(2, fixture.Log.RunsOf(id));
    }

    [Fact]
    public async Task Requeue_EnqueuedJob_Returns409Problem()
    {
        var id = await Client.CreateJobAsync(new { type = "sleep", queue = "idle-requeue" });

        using var response = await Client.PostAsync($"/api/jobs/{id}/requeue", null);

        var problem = await ApiAssert.ProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Contains("is Enqueued", problem.GetProperty("detail").GetString());
        Assert.Equal(["Enqueued"], JobApi.HistoryStates(await Client.GetJobAsync(id)));
        await Client.DeleteJobAsync(id);
    }

    [Fact]
    public async Task Requeue_ProcessingJob_Returns409Problem()
    {
        var id = await Client.CreateJobAsync(new { type = TestJobRegistration.Block });
        await fixture.Log.StartedAsync(id);

        using var response = await Client.PostAsync($"/api/jobs/{id}/requeue", null);

        var problem = await ApiAssert.ProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Contains("is Processing", problem.GetProperty("detail").GetString());
        Assert.Equal("Processing", (await Client.GetJobAsync(id)).GetProperty("state").GetString());
        await Client.DeleteJobAsync(id);
    }

    [Fact]
    public async Task Delete_RunningJob_CancelsHandlerAndEndsDeleted()
    {
        var id = await Client.CreateJobAsync(new { type = TestJobRegistration.Block });
        await fixture.Log.StartedAsync(id);

        using var response = await Client.DeleteAsync($"/api/jobs/{id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Deleted", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString());
        await Eventually.UntilAsync(() => fixture.Log.Cancellations.Contains($"{id}"), what: $"job {id}'s handler to be cancelled");
        var job = await Client.GetJobAsync(id);
        Assert.Equal("Deleted", job.GetProperty("state").GetString());
        Assert.Equal(["Enqueued", "Processing", "Deleted"], JobApi.HistoryStates(job));
    }

    [Theory]
    [InlineData("GET", "/api/jobs/987654321")]
    [InlineData("DELETE", "/api/jobs/987654321")]
    [InlineData("POST", "/api/jobs/987654321/requeue")]
    public async Task MissingJob_AnyMethod_Returns404Problem(string method, string path)
    {
        using var response = await Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        var problem = await ApiAssert.ProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Contains("987654321", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Get_FailingJob_IsFailedWithExceptionAndStackTrace()
    {
        var message = "boom-" + Guid.NewGuid().ToString("N")[..8];
        var id = await Client.CreateJobAsync(new { type = TestJobRegistration.Fail, args = new { message } });

        var job = await Client.UntilStateAsync(id, "Failed");

        var last = job.GetProperty("history").EnumerateArray().Last();
        Assert.Equal("Failed", last.GetProperty("state").GetString());
        var exception = last.GetProperty("exception");
        Assert.Equal(typeof(InvalidOperationException).FullName, exception.GetProperty("type").GetString());
        Assert.Equal(message, exception.GetProperty("message").GetString());
        Assert.Contains(nameof(FailingJob) + ".ThrowFromDeepInside", exception.GetProperty("details").GetString());
        Assert.Equal(2, job.GetProperty("attempts").GetInt32());
    }

    private long CountInDatabase(string where)
    {
        using var connection = fixture.Database.Open();
        return connection.ExecuteScalar<long>($"SELECT COUNT(*) FROM js_job WHERE {where}");
    }

    private static List<long> Ids(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(j => j.GetProperty("id").GetInt64()).ToList();
}
