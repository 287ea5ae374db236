using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using JobServer.Tests.Dashboard;
using JobServer.Tests.Infrastructure;

namespace JobServer.Tests.Browser;

/// <summary>One real host on Kestrel and its own database for a class of browser tests.</summary>
public sealed class DashboardBrowserHost : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private KestrelJobServer _server = null!;

    internal KestrelJobServer Server => _server;

    public JobStorage Storage => _server.Factory.Storage;

    public IBackgroundJobClient Client => _server.Factory.Client;

    public string ServerName => _server.Factory.ServerName;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        // The pages poll the counters every second, so the realtime graph fills in test time.
        _server = await KestrelJobServer.StartAsync(_database, new Dictionary<string, string?> { ["JobServer:Dashboard:StatsPollingInterval"] = "1000" });
    }

    public string Url(string path) => _server.Url(path);

    /// <summary>Creates a shipped job as the API would and enqueues it on the default queue.</summary>
    public string Enqueue(string type, string argsJson) => Client.Create(DashboardHost.Job(type, argsJson), new EnqueuedState());

    public string? StateOf(string id)
    {
        using var connection = Storage.GetConnection();
        return connection.GetStateData(id)?.Name;
    }

    public Task UntilStateAsync(string id, string state, TimeSpan? timeout = null) =>
        Eventually.UntilAsync(() => StateOf(id), s => s == state, timeout ?? TimeSpan.FromSeconds(30), $"job {id} to be {state}");

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _database.DisposeAsync();
    }
}
