using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using JobServer.Storage.MySql.Tests.Infrastructure;
using JobServer.Storage.MySql.Tests.Monitoring;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace JobServer.Storage.MySql.Tests.Dashboard;

/// <summary>
/// Hangfire's real dashboard, in process on Kestrel, over our storage seeded with a job in every state: a real server
/// runs the succeeding, failing, retried and (still) blocking jobs; the others come from the client.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    public const string FailureMessage = "dashboard failure message";
    public const string RecurringId = "dashboard-recurring";
    public const int EnqueuedCount = 25;

    private readonly MySqlTestDatabase _db = new();
    private readonly string _gate = Guid.NewGuid().ToString("N");
    private BackgroundJobServer? _server;
    private WebApplication? _app;

    public MySqlStorage Storage { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;
    public Dictionary<string, string> JobIdByState { get; } = new();
    public List<string> EnqueuedIds { get; } = [];

    public async Task InitializeAsync()
    {
        await _db.InitializeAsync();
        Storage = _db.CreateStorage();
        await SeedAsync();
        await StartDashboardAsync();
    }

    private async Task SeedAsync()
    {
        var client = new BackgroundJobClient(Storage);
        _server = new BackgroundJobServer(new BackgroundJobServerOptions
        {
            ServerName = "dashboard-test",
            WorkerCount = 4,
            Queues = ["blocking"],
            ShutdownTimeout = TimeSpan.FromSeconds(10),
        }, Storage);
        string OnServer(System.Linq.Expressions.Expression<Action> job) => client.Create(Job.FromExpression(job), new EnqueuedState("blocking"));
        JobIdByState[SucceededState.StateName] = OnServer(() => MonitoringJobs.Succeed("dashboard result"));
        JobIdByState[FailedState.StateName] = OnServer(() => MonitoringJobs.Fail(FailureMessage));
        JobIdByState["Retry"] = OnServer(() => MonitoringJobs.FailAndRetry("dashboard retry message"));
        JobIdByState[ProcessingState.StateName] = OnServer(() => MonitoringJobs.Block(_gate));
        for (var i = 0; i < EnqueuedCount; i++) EnqueuedIds.Add(client.Enqueue(() => MonitoringJobs.Noop()));
        JobIdByState[EnqueuedState.StateName] = EnqueuedIds[0];
        JobIdByState[ScheduledState.StateName] = client.Schedule(() => MonitoringJobs.Noop(), TimeSpan.FromHours(1));
        JobIdByState[AwaitingState.StateName] = client.ContinueJobWith(JobIdByState[ScheduledState.StateName], () => MonitoringJobs.Noop());
        var deleted = client.Schedule(() => MonitoringJobs.Noop(), TimeSpan.FromHours(1));
        client.Delete(deleted);
        JobIdByState[DeletedState.StateName] = deleted;
        new RecurringJobManager(Storage).AddOrUpdate(RecurringId, () => MonitoringJobs.Noop(), Cron.Daily());

        var monitor = Storage.GetMonitoringApi();
        await Poll.UntilAsync(() =>
        {
            var stats = monitor.GetStatistics();
            return stats is { Succeeded: 1, Failed: 1, Processing: 1, Retries: 1 };
        }, "the server to finish the succeeding, failing and retried jobs and start the blocking one");
    }

    private async Task StartDashboardAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        // The dashboard middleware insists on Hangfire's services; the storage it shows is passed explicitly.
        builder.Services.AddHangfire(configuration => configuration
            .UseLogProvider(new SilentLogProvider())
            .UseActivator(new JobActivator()));
        _app = builder.Build();
        _app.UseHangfireDashboard("/hangfire", new DashboardOptions { Authorization = [] }, Storage);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Http = new HttpClient { BaseAddress = new Uri(address) };
    }

    public async Task DisposeAsync()
    {
        MonitoringJobs.Open(_gate);
        Http?.Dispose();
        if (_app is not null) await _app.DisposeAsync();
        _server?.Dispose();
        Storage?.Dispose();
        await _db.DisposeAsync();
    }
}
