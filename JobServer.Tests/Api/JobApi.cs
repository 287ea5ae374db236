using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using JobServer.Tests.Infrastructure;

namespace JobServer.Tests.Api;

/// <summary>The calls tests make on the way to what they check; each asserts the answer it needs to go on.</summary>
internal static class JobApi
{
    public static async Task<long> CreateJobAsync(this HttpClient client, object request, string expectedState = "Enqueued")
    {
        using var response = await client.PostAsJsonAsync("/api/jobs", request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {text}");
        var body = JsonDocument.Parse(text).RootElement;
        Assert.Equal(expectedState, body.GetProperty("state").GetString());
        var id = body.GetProperty("id").GetInt64();
        Assert.Equal($"/api/jobs/{id}", response.Headers.Location?.ToString());
        return id;
    }

    public static async Task DeleteJobAsync(this HttpClient client, long id)
    {
        using var response = await client.DeleteAsync($"/api/jobs/{id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public static Task<JsonElement> GetJobAsync(this HttpClient client, long id) =>
        client.GetFromJsonAsync<JsonElement>($"/api/jobs/{id}");

    public static Task<JsonElement> UntilJobAsync(this HttpClient client, long id, Func<JsonElement, bool> done, string what) =>
        Eventually.UntilAsync(() => client.GetJobAsync(id), done, TimeSpan.FromSeconds(30), $"job {id} {what}");

    public static Task<JsonElement> UntilStateAsync(this HttpClient client, long id, string state) =>
        client.UntilJobAsync(id, j => j.GetProperty("state").GetString() == state, $"to be {state}");

    public static List<string?> HistoryStates(JsonElement job) =>
        job.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("state").GetString()).ToList();

    /// <summary>Asserts a problem answer: status, problem+json, and for a 400 the field named in <c>errors</c>.</summary>
    public static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string? field = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        if (field is not null)
        {
            var errors = problem.GetProperty("errors");
            Assert.True(errors.TryGetProperty(field, out _), $"expected the field '{field}' to be named: {text}");
        }

        return problem;
    }
}
