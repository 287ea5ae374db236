using System.Net.Http.Json;
using System.Text.Json;
using JobServer.Tests.Infrastructure;

namespace JobServer.Tests.Api;

/// <summary>
/// Issue 4 §4 over HTTP: a job posted with <c>"after"</c> waits (Awaiting) for its parent. It runs when the parent
/// succeeds; with <c>"continueOn": "anyFinalState"</c> also when the parent fails for good or is deleted. When the
/// parent is deleted a success-only child is deleted too, with its own children; when the parent fails for good a
/// success-only child keeps waiting, since the parent may yet be requeued.
/// </summary>
public sealed class ContinuationEndpointsTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task Create_AfterRunningParent_IsAwaiting()
    {
        var parent = await Client.CreateRunningParentAsync(fixture.Log);

        var child = await Client.CreateChildAsync(parent);

        var job = await Client.GetJobAsync(child);
        Assert.Equal("Awaiting", job.GetProperty("state").GetString());
        var (state, reason) = Assert.Single(ContinuationApi.History(job));
        Assert.Equal("Awaiting", state);
        Assert.Contains($"job {parent}", reason);
        Assert.Equal(0, fixture.Log.RunsOf(child));
        await Client.DeleteJobAsync(parent);
    }

    [Fact]
    public async Task Create_AfterParentThatSucceeds_RunsChildAfterIt()
    {
        var parent = await Client.CreateHeldParentAsync("sleep");
        var child = await Client.CreateChildAsync(parent);

        await Client.StartAsync(parent);

        var job = await Client.UntilStateAsync(child, "Succeeded");
        var history = ContinuationApi.History(job);
        Assert.Equal(["Awaiting", "Enqueued", "Processing", "Succeeded"], history.Select(h => h.State));
        Assert.Equal($"Parent job {parent} ended Succeeded", history[1].Reason);
        Assert.Equal("Succeeded", await Client.StateOfAsync(parent));
        var parentFinished = ApiAssert.UtcTime(await Client.GetJobAsync(parent), "finishedAt");
        Assert.True(ApiAssert.UtcTime(job, "startedAt") >= parentFinished, "the child started only after its parent finished");
        Assert.Equal(1, fixture.Log.RunsOf(child));
    }

    [Fact]
    public async Task Create_AfterParentThatFailsForGood_RunsOnlyTheAnyFinalStateChild()
    {
        var parent = await Client.CreateHeldParentAsync(TestJobRegistration.Fail);
        var successOnly = await Client.CreateChildAsync(parent);
        var anyFinal = await Client.CreateChildAsync(parent, continueOn: "anyFinalState");

        await Client.StartAsync(parent);

        await Client.UntilStateAsync(parent, "Failed");
        // The parent's final state and its children's fate are written in one transaction: nothing left to wait for.
        Assert.Equal("Awaiting", await Client.StateOfAsync(successOnly));
        var ran = await Client.UntilStateAsync(anyFinal, "Succeeded");
        Assert.Equal(["Awaiting", "Enqueued", "Processing", "Succeeded"], JobApi.HistoryStates(ran));
        Assert.Equal($"Parent job {parent} ended Failed", ContinuationApi.History(ran)[1].Reason);
        Assert.Equal(["Awaiting"], JobApi.HistoryStates(await Client.GetJobAsync(successOnly)));
        Assert.Equal(0, fixture.Log.RunsOf(successOnly));

        await Client.DeleteJobAsync(parent);

        Assert.Equal("Deleted", await Client.StateOfAsync(successOnly));
    }

    [Fact]
    public async Task Delete_ParentWithChildren_DeletesTheSuccessOnlyChainAndRunsTheAnyFinalStateChild()
    {
        var parent = await Client.CreateRunningParentAsync(fixture.Log);
        var child = await Client.CreateChildAsync(parent);
        var grandchild = await Client.CreateChildAsync(child);
        var anyFinal = await Client.CreateChildAsync(parent, continueOn: "anyFinalState");

        await Client.DeleteJobAsync(parent);

        var deleted = await Client.GetJobAsync(child);
        Assert.Equal("Deleted", deleted.GetProperty("state").GetString());
        Assert.Equal(["Awaiting", "Deleted"], JobApi.HistoryStates(deleted));
        Assert.Equal($"Parent job {parent} was deleted", ContinuationApi.History(deleted)[1].Reason);
        var deletedGrandchild = await Client.GetJobAsync(grandchild);
        Assert.Equal("Deleted", deletedGrandchild.GetProperty("state").GetString());
        Assert.Equal($"Parent job {child} was deleted", ContinuationApi.History(deletedGrandchild)[^1].Reason);
        var ran = await Client.UntilStateAsync(anyFinal, "Succeeded");
        Assert.Equal($"Parent job {parent} ended Deleted", ContinuationApi.History(ran)[1].Reason);
        Assert.Equal(0, fixture.Log.RunsOf(child) + fixture.Log.RunsOf(grandchild));
    }

    [Fact]
    public async Task Create_AfterSucceededParent_IsEnqueuedAtOnce()
    {
        var parent = await Client.CreateJobAsync(new { type = "sleep" });
        await Client.UntilStateAsync(parent, "Succeeded");

        var child = await Client.CreateChildAsync(parent, expectedState: "Enqueued");

        var job = await Client.UntilStateAsync(child, "Succeeded");
        Assert.Equal(["Enqueued", "Processing", "Succeeded"], JobApi.HistoryStates(job));
        Assert.Contains($"job {parent}", ContinuationApi.History(job)[0].Reason);
    }

    [Fact]
    public async Task Create_AnyFinalStateAfterDeletedParent_IsEnqueuedAtOnce()
    {
        var parent = await Client.CreateJobAsync(new { type = "sleep", queue = "idle-continuation" });
        await Client.DeleteJobAsync(parent);

        var child = await Client.CreateChildAsync(parent, expectedState: "Enqueued", continueOn: "anyFinalState");

        await Client.UntilStateAsync(child, "Succeeded");
    }

    [Fact]
    public async Task Create_SuccessOnlyAfterFailedParent_WaitsForTheParentToBeRequeued()
    {
        var parent = await Client.CreateJobAsync(new { type = TestJobRegistration.Fail });
        await Client.UntilStateAsync(parent, "Failed");

        var child = await Client.CreateChildAsync(parent, continueOn: "success");

        Assert.Equal("Awaiting", await Client.StateOfAsync(child));
        await Client.DeleteJobAsync(parent);
        Assert.Equal("Deleted", await Client.StateOfAsync(child));
    }

    [Fact]
    public async Task Stats_AwaitingChildren_AreCountedPerQueue()
    {
        var queue = "idle-awaiting-" + Guid.NewGuid().ToString("N")[..8];
        var before = await Client.StateCountAsync("Awaiting");
        var parent = await Client.CreateHeldParentAsync("sleep");
        await Client.CreateChildAsync(parent, queue: queue);
        var anyFinal = await Client.CreateChildAsync(parent, queue: queue, continueOn: "anyFinalState");

        var stats = await Client.GetFromJsonAsync<JsonElement>("/api/stats");

        Assert.Equal(before + 2, stats.GetProperty("states").GetProperty("Awaiting").GetInt64());
        var counts = stats.GetProperty("queues").GetProperty(queue);
        Assert.Equal((0L, 0L, 0L, 2L), (counts.GetProperty("enqueued").GetInt64(), counts.GetProperty("processing").GetInt64(), counts.GetProperty("scheduled").GetInt64(), counts.GetProperty("awaiting").GetInt64()));
        await Client.DeleteJobAsync(parent);
        Assert.Equal(before, await Client.StateCountAsync("Awaiting"));
        await Client.DeleteJobAsync(anyFinal);
    }
}
