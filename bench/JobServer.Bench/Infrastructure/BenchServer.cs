using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Common;
using JobServer.Hosting;
using JobServer.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace JobServer.Bench;

/// <summary>
/// A <see cref="BackgroundJobServer"/> in this process on the storage under test, configured as JobServerStartup
/// configures a pool (the host's default intervals and timeouts, jobs resolved from a container holding the shipped
/// jobs), on the <c>default</c> queue (or the one given) with the given worker count.
/// </summary>
internal sealed class BenchServer : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly BackgroundJobServer _server;

    public BenchServer(JobStorage storage, string apiDataConnectionString, int workers, string name = "bench", string queue = "default")
    {
        _services = new ServiceCollection()
            .AddSingleton(storage)
            .AddShippedJobs(apiDataConnectionString)
            .AddTransient<NoopJob>()
            .BuildServiceProvider();
        // Configured exactly as JobServerStartup configures a pool, named and sized for the case.
        var pool = new ServerPoolOptions { Queues = [queue], Workers = workers };
        var serverOptions = new JobServerOptions { ServerName = name, Servers = [pool] }.ServerOptionsFor(pool);
        serverOptions.Activator = new AspNetCoreJobActivator(_services.GetRequiredService<IServiceScopeFactory>());
        serverOptions.FilterProvider = JobFilterProviders.Providers;
        _server = new BackgroundJobServer(serverOptions, storage);
    }

    public async ValueTask DisposeAsync()
    {
        _server.SendStop();
        await _server.WaitForShutdownAsync(CancellationToken.None);
        _server.Dispose();
        await _services.DisposeAsync();
    }
}
