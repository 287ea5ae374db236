using Hangfire;
using Hangfire.Logging;
using JobServer.Dashboard;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace JobServer.Tests.HangfireDashboard;

/// <summary>Hangfire's real dashboard at /hangfire on Kestrel (127.0.0.1, a free port) over a given storage.</summary>
public sealed class HangfireDashboardApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private HangfireDashboardApp(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        Http = new HttpClient { BaseAddress = address };
    }

    public Uri Address { get; }

    public HttpClient Http { get; }

    public static async Task<HangfireDashboardApp> StartAsync(JobStorage storage)
    {
        GlobalConfiguration.Configuration.UseJobProgressOnDashboard();
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        // Hangfire's configuration is process-wide: keep this app's logger and activator out of it, since other
        // tests' servers outlive the app.
        builder.Services.AddHangfire(c => c.UseLogProvider(new QuietLogProvider()).UseActivator(new JobActivator()));
        var app = builder.Build();
        app.UseHangfireDashboard("/hangfire", new DashboardOptions { Authorization = [] }, storage);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new HangfireDashboardApp(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.DisposeAsync();
    }

    private sealed class QuietLogProvider : ILogProvider
    {
        public ILog GetLogger(string name) => new QuietLog();

        private sealed class QuietLog : ILog
        {
            public bool Log(LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
        }
    }
}
