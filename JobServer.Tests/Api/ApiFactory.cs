using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using JobServer.Engine;
using JobServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace JobServer.Tests.Api;

/// <summary>
/// The real host (<c>Program</c>) in memory, on a test database, with the engine tuned for fast tests. The hosted
/// service starts the engine in the background, so call <see cref="CreateReadyClientAsync"/> before a test proceeds.
/// </summary>
public sealed class ApiFactory(string connectionString, Action<IServiceCollection>? configureServices = null) : WebApplicationFactory<Program>
{
    /// <summary>The queues this server works: "critical" (2 workers) before "default" (5).</summary>
    public static readonly IReadOnlyList<string> Queues = ["critical", "default"];

    public const int Workers = 7;

    /// <summary>Unique per factory, so a test can tell this server's history entries and row apart.</summary>
    public string ServerName { get; } = "api-test-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>The id the engine registered: <see cref="ServerName"/> plus a per-process suffix.</summary>
    public string ServerId => Services.GetRequiredService<ServerIdentity>().Id;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(new Dictionary<string, string?>(TestEngine.FastSettings)
        {
            ["ConnectionStrings:JobServer"] = connectionString,
            ["Logging:LogLevel:Default"] = "Warning",
            ["JobServer:ServerName"] = ServerName,
            ["JobServer:Queues:0:Name"] = "critical",
            ["JobServer:Queues:0:Workers"] = "2",
            ["JobServer:Queues:1:Name"] = "default",
            ["JobServer:Queues:1:Workers"] = "5",
        }));
        if (configureServices is not null)
        {
            builder.ConfigureTestServices(configureServices);
        }
    }

    /// <summary>A client for a server that is up: <c>/health</c> answers 200 and the engine has registered its server row.</summary>
    public async Task<HttpClient> CreateReadyClientAsync()
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        await UntilAsync(
            async () =>
            {
                using var health = await client.GetAsync("/health");
                if (health.StatusCode != HttpStatusCode.OK)
                {
                    return false;
                }

                var servers = await client.GetFromJsonAsync<JsonElement>("/api/servers");
                return servers.GetArrayLength() > 0;
            },
            ready => ready,
            "the API to be healthy with a registered server");
        return client;
    }

    /// <summary><see cref="Eventually"/> with an asynchronous probe (an HTTP call), naming what it waits for first.</summary>
    public static Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? timeout = null) =>
        Eventually.UntilAsync(probe, done, timeout, what);
}
