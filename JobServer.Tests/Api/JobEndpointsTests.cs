using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace JobServer.Tests.Api;

/// <summary>Creating, reading, requeueing and deleting jobs over HTTP, on real Hangfire servers and MariaDB.</summary>
public sealed class JobEndpointsTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task CreatedJob_RunsAndReadsBackWithItsHistoryResultAndServer()
    {
        var id = await Client.CreateJobAsync(new { type = "sleep", args = new { ms = 10 } });

        var job = await Client.UntilStateAsync(id, "Succeeded");

        Assert.Equal(
            ["args", "attempts", "continuations", "createdAt", "finishedAt", "history", "id", "parentId", "progress", "queue", "result", "startedAt", "state", "type"],
            job.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(id, job.GetProperty("id").GetInt64());
        Assert.Equal("sleep", job.GetProperty("type").GetString());
        Assert.Equal(10, job.GetProperty("args").GetProperty("ms").GetInt32());
        Assert.Equal("default", job.GetProperty("queue").GetString());
        Assert.Equal(1, job.GetProperty("attempts").GetInt32());
        Assert.Equal(10, job.GetProperty("result").GetProperty("slept").GetInt32());
        Assert.Equal(["Enqueued", "Processing", "Succeeded"], JobApi.HistoryStates(job));
        var server = job.GetProperty("history")[1].GetProperty("server").GetString();
        Assert.StartsWith(fixture.Factory.ServerName + ":", server, StringComparison.OrdinalIgnoreCase);
        var started = job.GetProperty("startedAt").GetDateTime();
        var finished = job.GetProperty("finishedAt").GetDateTime();
        Assert.True(job.GetProperty("createdAt").GetDateTime() <= started && started <= finished);
        Assert.Equal(JsonValueKind.Null, job.GetProperty("parentId").ValueKind);
        Assert.Empty(job.GetProperty("continuations").EnumerateArray());
    }

    [Fact]
    public async Task Queue_OverridesTheJobsQueue_AndTheJobRunsThere()
    {
        var id = await Client.CreateJobAsync(new { type = "sleep", args = new { ms = 0 }, queue = "critical" });

        var job = await Client.UntilStateAsync(id, "Succeeded");

        Assert.Equal("critical", job.GetProperty("queue").GetString());
    }

    [Fact]
    public async Task Delay_SchedulesTheJob()
    {
        var id = await Client.CreateJobAsync(new { type = "sleep", args = new { ms = 0 }, delay = "01:00:00" }, "Scheduled");

        var job = await Client.GetJobAsync(id);

        Assert.Equal(["Scheduled"], JobApi.HistoryStates(job));
    }

    [Fact]
    public async Task RunAtInThePast_RunsSoon()
    {
        var id = await Client.CreateJobAsync(new { type = "sleep", args = new { ms = 0 }, runAt = "2020-01-01T00:00:00Z" }, "Scheduled");

        await Client.UntilStateAsync(id, "Succeeded");
    }

    [Fact]
    public async Task Requeue_RunsAFinishedJobAgain_AndIsRefusedWhileEnqueued()
    {
        var id = await Client.CreateJobAsync(new { type = "sleep", args = new { ms = 0 } });
        await Client.UntilStateAsync(id, "Succeeded");

        using var requeue = await Client.PostAsync($"/api/jobs/{id}/requeue", null);
        Assert.Equal(HttpStatusCode.OK, requeue.StatusCode);

        var job = await Client.UntilJobAsync(id, j => JobApi.HistoryStates(j).Count(s => s == "Succeeded") == 2, "to succeed twice");
        Assert.Equal(["Enqueued", "Processing", "Succeeded", "Enqueued", "Processing", "Succeeded"], JobApi.HistoryStates(job));
        Assert.Equal(2, job.GetProperty("attempts").GetInt32());

        var scheduled = await Client.CreateJobAsync(new { type = "sleep", args = new { ms = 0 }, delay = "01:00:00" }, "Scheduled");
        using var fromScheduled = await Client.PostAsync($"/api/jobs/{scheduled}/requeue", null);
        Assert.Equal("Enqueued", (await fromScheduled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString());

        var running = await Client.CreateJobAsync(new { type = "sleep", args = new { ms = 60_000 } });
        await Client.UntilStateAsync(running, "Processing");
        using var refused = await Client.PostAsync($"/api/jobs/{running}/requeue", null);
        await JobApi.AssertProblemAsync(refused, HttpStatusCode.Conflict);
        await Client.DeleteJobAsync(running);
    }

    [Fact]
    public async Task Delete_CancelsARunningJob()
    {
        var id = await Client.CreateJobAsync(new { type = "sleep", args = new { ms = 60_000 } });
        await Client.UntilStateAsync(id, "Processing");

        using var delete = await Client.DeleteAsync($"/api/jobs/{id}");

        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        Assert.Equal("Deleted", (await delete.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString());
        // The worker sees the deletion at its next cancellation check and the sleep ends: the worker is free again,
        // so the job's Processing state is not followed by a Succeeded one and the server is idle for it.
        await Eventually(async () => (await Client.GetFromJsonAsync<JsonElement>("/api/servers")).EnumerateArray()
            .Where(s => s.GetProperty("id").GetString()!.StartsWith(fixture.Factory.ServerName + ":default", StringComparison.OrdinalIgnoreCase))
            .All(s => s.GetProperty("busy").GetInt32() == 0));
        var job = await Client.GetJobAsync(id);
        Assert.Equal(["Enqueued", "Processing", "Deleted"], JobApi.HistoryStates(job));
        Assert.NotEqual(JsonValueKind.Null, job.GetProperty("finishedAt").ValueKind);

        using var again = await Client.DeleteAsync($"/api/jobs/{id}");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task UnknownJob_Is404Problem()
    {
        foreach (var path in new[] { "/api/jobs/999999999", "/api/jobs/abc", "/api/jobs/-1" })
        {
            using var response = await Client.GetAsync(path);
            await JobApi.AssertProblemAsync(response, HttpStatusCode.NotFound);
        }

        using var requeue = await Client.PostAsync("/api/jobs/999999999/requeue", null);
        await JobApi.AssertProblemAsync(requeue, HttpStatusCode.NotFound);
        using var delete = await Client.DeleteAsync("/api/jobs/999999999");
        await JobApi.AssertProblemAsync(delete, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task FailingJob_HistoryCarriesTheException()
    {
        var id = await Client.CreateJobAsync(new { type = "fail", args = new { message = "boom" } });

        var job = await Client.UntilStateAsync(id, "Failed");

        var failed = job.GetProperty("history").EnumerateArray().Last();
        var exception = failed.GetProperty("exception");
        Assert.Contains("boom", exception.GetProperty("message").GetString());
        Assert.False(string.IsNullOrEmpty(exception.GetProperty("type").GetString()));
        Assert.False(failed.GetProperty("reason").ValueKind == JsonValueKind.Undefined);
    }

    private static Task Eventually(Func<Task<bool>> condition) =>
        Infrastructure.Eventually.UntilAsync(condition, ok => ok, TimeSpan.FromSeconds(30), "condition");
}
