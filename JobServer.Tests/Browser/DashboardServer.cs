using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using JobServer.Tests.Api;
using JobServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace JobServer.Tests.Browser;

/// <summary>
/// The real host (<see cref="ApiFactory"/>, with the test job types) served by Kestrel on a free loopback port, so a
/// browser can reach it, on its own test database. One per test class; the tests of a class share it and reason
/// about the jobs they created.
/// </summary>
public sealed class DashboardServer : IAsyncLifetime
{
    public TestDatabase Database { get; } = new();

    public ExecutionLog Log { get; } = new();

    public ApiFactory Factory { get; private set; } = null!;

    /// <summary>Where the server listens, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>A client of the JSON API over real HTTP, for setting up what the browser then looks at.</summary>
    public HttpClient Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        Factory = new ApiFactory(Database.ConnectionString, services => services.AddTestJobs(Log));
        // Port 0: the OS picks a free port at bind time, so parallel runs never race for one.
        Factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        Factory.StartServer();
        var address = Factory.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        BaseAddress = new Uri(address.TrimEnd('/') + "/");
        Api = new HttpClient { BaseAddress = BaseAddress };
        await ApiFactory.UntilAsync(
            async () =>
            {
                using var health = await Api.GetAsync("health");
                return health.StatusCode == HttpStatusCode.OK
                    && (await Api.GetFromJsonAsync<JsonElement>("api/servers")).GetArrayLength() > 0;
            },
            ready => ready,
            $"the dashboard server at {BaseAddress} to be healthy with a registered server");
    }

    public async Task DisposeAsync()
    {
        Api?.Dispose();
        if (Factory is not null)
        {
            await Factory.DisposeAsync();
        }

        await Database.DisposeAsync();
    }
}
