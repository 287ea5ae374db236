using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;

namespace JobServer.Tests.Api;

/// <summary>The bulk-insert calls tests make on the way to what they check; each asserts the answer it needs to go on.</summary>
internal static class BulkInsertApi
{
    /// <summary>A queue no test server works: a job sent there stays Enqueued, in flight, until deleted.</summary>
    public const string IdleQueue = "idle-bulk";

    public static string NewProject() => "p-" + Guid.NewGuid().ToString("N")[..12];

    public static Task<HttpResponseMessage> PostBulkInsertAsync(this HttpClient client, object body) =>
        client.PostAsJsonAsync("/api/bulk-insert", body);

    public static async Task<long> CreateBulkInsertAsync(this HttpClient client, object body, string expectedState = "Enqueued")
    {
        using var response = await client.PostBulkInsertAsync(body);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(expectedState, created.GetProperty("state").GetString());
        return created.GetProperty("id").GetInt64();
    }

    /// <summary>A 409 problem naming <paramref name="holder"/> as the job in flight for <paramref name="project"/>.</summary>
    public static async Task AssertRefusedForAsync(HttpResponseMessage response, string project, long holder)
    {
        var problem = await ApiAssert.ProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Equal([holder], problem.GetProperty("existingJobIds").EnumerateArray().Select(id => id.GetInt64()));
        Assert.Equal($"bulk-insert:{project}", problem.GetProperty("concurrencyKey").GetString());
        Assert.Contains($"job {holder}", problem.GetProperty("detail").GetString());
    }

    public static Task<JsonElement> CountAsync(this HttpClient client, string? project = null) =>
        client.GetFromJsonAsync<JsonElement>(project is null ? "/api/bulk-insert/count" : $"/api/bulk-insert/count?project={Uri.EscapeDataString(project)}");

    /// <summary>Jobs (of any kind) ever created for <paramref name="project"/>'s bulk inserts.</summary>
    public static long CountJobsFor(this ApiFixture fixture, string project)
    {
        using var connection = fixture.Database.Open();
        return connection.ExecuteScalar<long>(
            "SELECT COUNT(*) FROM js_job WHERE type = 'bulk-insert' AND JSON_VALUE(args, '$.project') = @project",
            new { project });
    }

    /// <summary>Everything a refused bulk insert must leave unchanged: job tables, leases and api_data.</summary>
    public static long CountWrites(this ApiFixture fixture)
    {
        using var connection = fixture.Database.Open();
        return fixture.CountJobRows() + connection.ExecuteScalar<long>(
            "SELECT (SELECT COUNT(*) FROM js_concurrency_lease) + (SELECT COUNT(*) FROM api_data) + (SELECT COUNT(*) FROM api_data_chunk)");
    }
}
