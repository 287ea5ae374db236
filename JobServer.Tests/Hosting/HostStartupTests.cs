using System.Net;
using Hangfire;
using Hangfire.States;
using JobServer.Jobs;
using JobServer.Tests.Infrastructure;

namespace JobServer.Tests.Hosting;

/// <summary>The host as Program wires it: Hangfire on our storage, its servers from configuration, the dashboard.</summary>
public sealed class HostStartupTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Start_RegistersOneHangfireServerPerPool_WithTheirQueuesAndWorkers()
    {
        await using var host = new JobServerFactory(database.ConnectionString);
        await host.ReadyAsync();

        // Ready means the servers were started; each registers its row from its own thread a moment later.
        var servers = await Eventually.UntilAsync(
            () => host.Storage.GetMonitoringApi().Servers().Where(s => s.Name.StartsWith(host.ServerName, StringComparison.OrdinalIgnoreCase)).ToList(),
            found => found.Count >= 2, TimeSpan.FromSeconds(30), "both servers to register");

        Assert.Equal(2, servers.Count);
        var main = Assert.Single(servers, s => s.Queues.Contains("default"));
        Assert.Equal(["critical", "default"], main.Queues);
        Assert.Equal(5, main.WorkersCount);
        var cpu = Assert.Single(servers, s => s.Queues.Contains("cpu"));
        Assert.Equal(2, cpu.WorkersCount);
    }

    [Fact]
    public async Task EnqueuedShippedJob_RunsToSucceeded_OnTheHostsServers()
    {
        await using var host = new JobServerFactory(database.ConnectionString);
        await host.ReadyAsync();

        var id = host.Client.Enqueue<SleepJob>(job => job.Run(new SleepArguments { Ms = 1 }, CancellationToken.None));

        await Eventually.UntilAsync(() => host.Storage.GetConnection().GetStateData(id)?.Name, name => name == SucceededState.StateName, TimeSpan.FromSeconds(30), $"job {id} to succeed");
    }

    [Fact]
    public async Task Root_RedirectsToTheHangfireDashboard_TitledJobServer()
    {
        await using var host = new JobServerFactory(database.ConnectionString);
        using var client = await host.CreateReadyClientAsync();

        using var root = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, root.StatusCode);
        Assert.Equal("/hangfire", root.Headers.Location?.OriginalString);

        var page = await client.GetStringAsync("/hangfire");
        Assert.Matches("<title>[^<]*JobServer</title>", page);
    }
}
