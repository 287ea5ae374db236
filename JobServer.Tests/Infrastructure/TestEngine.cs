using JobServer.Engine;
using JobServer.Engine.Client;
using JobServer.Hosting;
using JobServer.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace JobServer.Tests.Infrastructure;

/// <summary>
/// A complete job server on the test database, without a web host: the same DI wiring as the real host, with
/// settings tuned for fast tests and room to register test job types. Several can share one database.
/// </summary>
public sealed class TestEngine : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private TestEngine(ServiceProvider services)
    {
        _services = services;
    }

    public IJobClient Client => _services.GetRequiredService<IJobClient>();

    public IJobReader Reader => _services.GetRequiredService<IJobReader>();

    public JobServerEngine Engine => _services.GetRequiredService<JobServerEngine>();

    public string ServerId => Engine.Server.Id;

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    /// <summary>Engine timings scaled down so recovery, promotion and cancellation happen within a test's patience.</summary>
    public static readonly IReadOnlyDictionary<string, string?> FastSettings = new Dictionary<string, string?>
    {
        ["JobServer:HeartbeatInterval"] = "00:00:00.200",
        ["JobServer:ServerTimeout"] = "00:00:02",
        ["JobServer:PollInterval"] = "00:00:00.200",
        ["JobServer:SchedulePollInterval"] = "00:00:00.100",
        ["JobServer:CancellationCheckInterval"] = "00:00:00.200",
        ["JobServer:CounterAggregationInterval"] = "00:00:00.500",
        ["JobServer:ShutdownTimeout"] = "00:00:02",
    };

    /// <param name="connectionString">The database; vary it (e.g. pool size) to give engines separate connection pools.</param>
    /// <param name="settings">Overrides of the JobServer section, e.g. ["ShutdownTimeout"] = "00:00:01".</param>
    /// <param name="configure">Registers test job types and shared test doubles.</param>
    public static TestEngine Create(string connectionString, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var values = new Dictionary<string, string?>(FastSettings)
        {
            ["ConnectionStrings:JobServer"] = connectionString,
            ["JobServer:Queues:0:Name"] = "default",
            ["JobServer:Queues:0:Workers"] = "10",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values["JobServer:" + key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddFilter(level => level >= LogLevel.Warning));
        services.AddSingleton<IConfiguration>(configuration);
        services.AddJobServer(configuration);
        configure?.Invoke(services);
        return new TestEngine(services.BuildServiceProvider(validateScopes: true));
    }

    /// <summary>Applies the schema (already there) and starts fetching.</summary>
    public async Task<TestEngine> StartAsync()
    {
        await Engine.StartAsync();
        return this;
    }

    public async ValueTask DisposeAsync()
    {
        await Engine.StopAsync();
        await _services.DisposeAsync();
    }
}
