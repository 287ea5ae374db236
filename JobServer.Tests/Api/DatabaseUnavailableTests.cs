using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using JobServer.Tests.Infrastructure;

namespace JobServer.Tests.Api;

/// <summary>
/// The host without its database. Serial because a refused connection makes the storage layer clear every connection
/// pool in the process, which other tests would feel.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class DatabaseUnavailableTests
{
    [Fact]
    public async Task AnyEndpoint_DatabaseUnreachable_Answers503()
    {
        // Nothing listens on port 1: every connection is refused at once. The host must still start and say so.
        await using var factory = new ApiFactory("Server=127.0.0.1;Port=1;User ID=nobody;Password=none;SslMode=None");
        using var client = factory.CreateClient();

        using var health = await client.GetAsync("/health");
        using var create = await client.PostAsJsonAsync("/api/jobs", new { type = "sleep" });
        using var get = await client.GetAsync("/api/jobs/1");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal("Unhealthy", (await health.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        foreach (var response in new[] { create, get })
        {
            await ApiAssert.ProblemAsync(response, HttpStatusCode.ServiceUnavailable);
            Assert.NotNull(response.Headers.RetryAfter);
        }
    }
}
