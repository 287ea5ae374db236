using JobServer.Jobs;
using JobServer.Tests.Infrastructure;
using Hangfire;
using Hangfire.Common;
using Microsoft.Extensions.DependencyInjection;
using System.Text.Json;

namespace JobServer.Tests.Dashboard;

/// <summary>The real host (<see cref="JobServerFactory"/>) with a ready HTTP client, disposed together.</summary>
internal sealed class DashboardHost : IAsyncDisposable
{
    private DashboardHost(JobServerFactory factory, HttpClient client) => (Factory, Client) = (factory, client);

    /// <summary>A queue no server of the test hosts serves: jobs enqueued there stay Enqueued.</summary>
    public const string IdleQueue = "idle";

    public JobServerFactory Factory { get; }

    public HttpClient Client { get; }

    public static async Task<DashboardHost> StartAsync(TestDatabase database, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var factory = new JobServerFactory(database.ConnectionString, settings, services);
        return new DashboardHost(factory, await factory.CreateReadyClientAsync());
    }

    /// <summary>A shipped job built as the API builds it, from its type name and JSON arguments.</summary>
    public static Job Job(string type, string argsJson)
    {
        using var document = JsonDocument.Parse(argsJson);
        Assert.True(JobTypes.TryCreateJob(type, document.RootElement.Clone(), out var job, out var errors), string.Join("; ", errors));
        return job;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
    }
}
