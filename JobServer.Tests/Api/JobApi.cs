using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace JobServer.Tests.Api;

/// <summary>The calls tests make on the way to what they check; each asserts the answer it needs to go on.</summary>
internal static class JobApi
{
    public static async Task<long> CreateJobAsync(this HttpClient client, object request, string expectedState = "Enqueued")
    {
        using var response = await client.PostAsJsonAsync("/api/jobs", request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(expectedState, body.GetProperty("state").GetString());
        return body.GetProperty("id").GetInt64();
    }

    public static async Task DeleteJobAsync(this HttpClient client, long id)
    {
        using var response = await client.DeleteAsync($"/api/jobs/{id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public static Task<JsonElement> GetJobAsync(this HttpClient client, long id) =>
        client.GetFromJsonAsync<JsonElement>($"/api/jobs/{id}");

    public static Task<JsonElement> UntilJobAsync(this HttpClient client, long id, Func<JsonElement, bool> done, string what) =>
        ApiFactory.UntilAsync(() => client.GetJobAsync(id), done, $"job {id} {what}");

    public static Task<JsonElement> UntilStateAsync(this HttpClient client, long id, string state) =>
        client.UntilJobAsync(id, j => j.GetProperty("state").GetString() == state, $"to be {state}");

    public static async Task<long> StateCountAsync(this HttpClient client, string state) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/stats")).GetProperty("states").GetProperty(state).GetInt64();

    public static List<string?> HistoryStates(JsonElement job) =>
        job.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("state").GetString()).ToList();
}
