using System.Net;
using System.Net.Http.Json;
using JobServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace JobServer.Tests.Api;

/// <summary>With MySQL unreachable (a closed port) the host stays up and answers 503 with Retry-After, never 500.</summary>
public sealed class DatabaseUnavailableTests
{
    private const string ClosedPort = "Server=127.0.0.1;Port=1;User ID=nobody;Password=x;Database=jobserver_t_none;Connection Timeout=2";

    [Fact]
    public async Task DatabaseDown_Is503WithRetryAfter_AndHealthSaysSo()
    {
        await using var factory = new JobServerFactory(ClosedPort);
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var health = await client.GetAsync("/health");
        using var create = await client.PostAsJsonAsync("/api/jobs", new { type = "sleep", args = new { ms = 0 } });
        using var get = await client.GetAsync("/api/jobs/1");
        using var stats = await client.GetAsync("/api/stats");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        foreach (var response in new[] { create, get, stats })
        {
            await JobApi.AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable);
            Assert.Equal("5", response.Headers.GetValues("Retry-After").Single());
        }
    }
}
