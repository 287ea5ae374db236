using Hangfire;
using JobServer.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace JobServer.Tests.Infrastructure;

/// <summary>
/// The real host (<c>Program</c>) in memory on a test database: Hangfire on our storage with real servers, tuned for
/// fast tests (heartbeats, schedule polling and cancellation checks in fractions of a second). Servers start in the
/// background once the schema is in place: await <see cref="ReadyAsync"/> before a test proceeds.
/// </summary>
public sealed class JobServerFactory(string connectionString, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configureServices = null)
    : WebApplicationFactory<Program>
{
    /// <summary>Settings that make a server react in test time; merged under the caller's.</summary>
    public static IReadOnlyDictionary<string, string?> FastSettings { get; } = new Dictionary<string, string?>
    {
        ["JobServer:HeartbeatInterval"] = "00:00:00.500",
        ["JobServer:ServerTimeout"] = "00:00:03",
        ["JobServer:ServerCheckInterval"] = "00:00:00.500",
        ["JobServer:SchedulePollingInterval"] = "00:00:00.200",
        ["JobServer:CancellationCheckInterval"] = "00:00:00.100",
        ["JobServer:ShutdownTimeout"] = "00:00:05",
        ["JobServer:Servers:0:Name"] = "default",
        ["JobServer:Servers:0:Queues:0"] = "critical",
        ["JobServer:Servers:0:Queues:1"] = "default",
        ["JobServer:Servers:0:Workers"] = "5",
        ["JobServer:Servers:1:Name"] = "cpu",
        ["JobServer:Servers:1:Queues:0"] = "cpu",
        ["JobServer:Servers:1:Workers"] = "2",
        ["Logging:LogLevel:Default"] = "Warning",
    };

    /// <summary>Unique per factory, so a test can tell this host's servers apart from other tests'.</summary>
    public string ServerName { get; } = "test-" + Guid.NewGuid().ToString("N")[..8];

    public string ConnectionString => connectionString;

    public JobStorage Storage => Services.GetRequiredService<JobStorage>();

    public IBackgroundJobClient Client => Services.GetRequiredService<IBackgroundJobClient>();

    /// <summary>Waits until the schema is installed and this host's Hangfire servers have started.</summary>
    public Task ReadyAsync() =>
        Services.GetServices<IHostedService>().OfType<JobServerStartup>().Single().Ready.WaitAsync(TimeSpan.FromSeconds(60));

    /// <summary>An HTTP client on a ready host that does not follow redirects.</summary>
    public async Task<HttpClient> CreateReadyClientAsync()
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        await ReadyAsync();
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration((_, config) =>
        {
            var values = new Dictionary<string, string?>(FastSettings)
            {
                ["ConnectionStrings:JobServer"] = connectionString,
                ["JobServer:ServerName"] = ServerName,
            };
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                values[key] = value;
            }

            config.AddInMemoryCollection(values);
        });
        if (configureServices is not null)
        {
            builder.ConfigureTestServices(configureServices);
        }
    }
}
