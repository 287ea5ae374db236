using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace JobServer.Tests.Api;

/// <summary>"after": Hangfire continuations — Awaiting until the parent ends, linked both ways on GET.</summary>
public sealed class ContinuationTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task Continuation_WaitsForItsParent_ThenRuns()
    {
        var parent = await Client.CreateJobAsync(new { type = "sleep", args = new { ms = 0 }, delay = "01:00:00" }, "Scheduled");
        var child = await Client.CreateJobAsync(new { type = "sleep", args = new { ms = 0 }, after = parent }, "Awaiting");

        var parentJob = await Client.GetJobAsync(parent);
        var link = Assert.Single(parentJob.GetProperty("continuations").EnumerateArray());
        Assert.Equal(child, link.GetProperty("id").GetInt64());
        Assert.Equal("sleep", link.GetProperty("type").GetString());
        Assert.Equal("Awaiting", link.GetProperty("state").GetString());
        Assert.Equal(parent, (await Client.GetJobAsync(child)).GetProperty("parentId").GetInt64());

        using var requeue = await Client.PostAsync($"/api/jobs/{parent}/requeue", null);
        Assert.Equal(HttpStatusCode.OK, requeue.StatusCode);

        await Client.UntilStateAsync(child, "Succeeded");
    }

    [Fact]
    public async Task OnlyOnSuccess_IsDeletedWhenTheParentFails_AnyFinalStateRuns()
    {
        var parent = await Client.CreateJobAsync(new { type = "fail", args = new { message = "x" }, delay = "01:00:00" }, "Scheduled");
        var onSuccess = await Client.CreateJobAsync(new { type = "sleep", args = new { ms = 0 }, after = parent, continueOn = "success" }, "Awaiting");
        var onAny = await Client.CreateJobAsync(new { type = "sleep", args = new { ms = 0 }, after = parent, continueOn = "anyFinalState" }, "Awaiting");

        using var run = await Client.PostAsync($"/api/jobs/{parent}/requeue", null);
        await Client.UntilStateAsync(parent, "Failed");
        // Hangfire continues only from a final state; Failed is not one, so deleting the parent ends the wait.
        await Client.DeleteJobAsync(parent);

        await Client.UntilStateAsync(onAny, "Succeeded");
        await Client.UntilStateAsync(onSuccess, "Deleted");
    }

    [Fact]
    public async Task ContinuationOfAFinishedParent_IsEnqueuedAtOnce()
    {
        var parent = await Client.CreateJobAsync(new { type = "sleep", args = new { ms = 0 } });
        await Client.UntilStateAsync(parent, "Succeeded");

        using var response = await Client.PostAsJsonAsync("/api/jobs", new { type = "sleep", args = new { ms = 0 }, after = parent });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var state = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString();
        Assert.Contains(state, new[] { "Enqueued", "Processing", "Succeeded" });
    }
}
