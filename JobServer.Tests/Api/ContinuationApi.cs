using System.Net;
using System.Text.Json;
using Dapper;
using JobServer.Tests.Infrastructure;

namespace JobServer.Tests.Api;

/// <summary>Parents whose end the test decides, and what continuation tests read back.</summary>
internal static class ContinuationApi
{
    /// <summary>
    /// A parent that cannot start until the test says so: scheduled an hour ahead, so a child posted after it is
    /// certain to find it unfinished. <see cref="StartAsync"/> moves it to its queue.
    /// </summary>
    public static Task<long> CreateHeldParentAsync(this HttpClient client, string type, object? args = null) =>
        client.CreateJobAsync(new { type, args, delay = "01:00:00" }, expectedState: "Scheduled");

    public static async Task StartAsync(this HttpClient client, long heldParent)
    {
        using var response = await client.PostAsync($"/api/jobs/{heldParent}/requeue", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>A job that is Processing until it is deleted (it blocks until cancelled).</summary>
    public static async Task<long> CreateRunningParentAsync(this HttpClient client, ExecutionLog log)
    {
        var id = await client.CreateJobAsync(new { type = TestJobRegistration.Block });
        await log.StartedAsync(id);
        return id;
    }

    public static Task<long> CreateChildAsync(this HttpClient client, long after, string expectedState = "Awaiting", string? continueOn = null, string? queue = null) =>
        client.CreateJobAsync(new { type = TestJobRegistration.Record, after, continueOn, queue }, expectedState);

    public static async Task<string?> StateOfAsync(this HttpClient client, long id) =>
        (await client.GetJobAsync(id)).GetProperty("state").GetString();

    public static List<(string? State, string? Reason)> History(JsonElement job) =>
        job.GetProperty("history").EnumerateArray().Select(h => (h.GetProperty("state").GetString(), h.GetProperty("reason").GetString())).ToList();

    /// <summary>Rows every job creation touches, and the continuation links: what a refused request leaves unchanged.</summary>
    public static (long Jobs, long Links) CountRows(this ApiFixture fixture)
    {
        using var connection = fixture.Database.Open();
        return (fixture.CountJobRows(), connection.ExecuteScalar<long>("SELECT COUNT(*) FROM js_continuation"));
    }
}
