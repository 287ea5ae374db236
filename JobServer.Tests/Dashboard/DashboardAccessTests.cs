using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Hangfire;
using Hangfire.States;
using Hangfire.Storage;
using JobServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using static JobServer.Tests.Dashboard.DashboardClient;

namespace JobServer.Tests.Dashboard;

/// <summary>
/// Who may see and steer Hangfire's dashboard on the real host, each configuration on a host of its own: this machine
/// only by default, HTTP Basic credentials, an application's authorization policy (and both together), read-only
/// mode, antiforgery on commands, a disabled or moved dashboard.
/// </summary>
public sealed class DashboardAccessTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    /// <summary>A page, a list, the counters' poll, the combined scripts and the progress route: all behind the same door.</summary>
    private static readonly string[] GuardedUrls = ["/hangfire", "/hangfire/jobs/failed", "/hangfire/bulk-inserts", "/hangfire/js18250", "/hangfire/jobs/progress/1"];

    [Fact]
    public async Task RemoteRequest_NothingConfigured_403EverywhereSayingWhy()
    {
        await using var host = await DashboardHost.StartAsync(database, services: s => RemoteClient.Simulate(s));

        foreach (var url in GuardedUrls)
        {
            var text = await host.Client.GetPageAsync(url, HttpStatusCode.Forbidden);
            Assert.Contains("only requests from this machine", text);
        }

        using var stats = await host.Client.PostWithoutTokenAsync("/hangfire/stats", [Field("metrics[]", "enqueued:count")]);
        Assert.Equal(HttpStatusCode.Forbidden, stats.StatusCode);
    }

    [Fact]
    public async Task LoopbackRequest_NothingConfigured_200()
    {
        await using var host = await DashboardHost.StartAsync(database, services: s => RemoteClient.Simulate(s, IPAddress.IPv6Loopback));

        var html = await host.Client.GetPageAsync("/hangfire");

        Assert.Contains("JobServer", html);
    }

    [Fact]
    public async Task RemoteRequest_CredentialsConfigured_401WithBasicChallengeUntilGiven()
    {
        await using var host = await DashboardHost.StartAsync(database, Credentials("ops", "s3cret:with-colon"), s => RemoteClient.Simulate(s));

        foreach (var credentials in new[] { null, "ops:wrong", "Ops:s3cret:with-colon", "ops:s3cret:with-colo" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/hangfire");
            request.Headers.Authorization = credentials is null ? null : Basic(credentials);
            using var denied = await host.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
            var challenge = Assert.Single(denied.Headers.WwwAuthenticate);
            Assert.Equal("Basic", challenge.Scheme);
            Assert.Contains("realm=\"JobServer\"", challenge.Parameter);
        }

        host.Client.DefaultRequestHeaders.Authorization = Basic("ops:s3cret:with-colon");
        Assert.Contains("JobServer", await host.Client.GetPageAsync("/hangfire/jobs/enqueued"));
        using var stats = await host.Client.PostWithTokenAsync("/hangfire/stats", [Field("metrics[]", "enqueued:count")]);
        Assert.Equal(HttpStatusCode.OK, stats.StatusCode);
    }

    [Fact]
    public async Task LocalRequest_CredentialsConfigured_StillNeedsThem()
    {
        await using var host = await DashboardHost.StartAsync(database, Credentials("ops", "pw"));

        await host.Client.GetPageAsync("/hangfire", HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task RemoteRequest_PolicyConfigured_401Anonymous403WrongUser200RightUser()
    {
        await using var host = await DashboardHost.StartAsync(database, Policy(), s => { RemoteClient.Simulate(s); AddPolicy(s); });

        await host.Client.GetPageAsync("/hangfire", HttpStatusCode.Unauthorized);
        host.Client.DefaultRequestHeaders.Add(HeaderAuthenticationHandler.Header, "visitor");
        await host.Client.GetPageAsync("/hangfire", HttpStatusCode.Forbidden);
        host.Client.DefaultRequestHeaders.Remove(HeaderAuthenticationHandler.Header);
        host.Client.DefaultRequestHeaders.Add(HeaderAuthenticationHandler.Header, "alice;ops");
        await host.Client.GetPageAsync("/hangfire");
        await host.Client.GetPageAsync("/hangfire/servers");
    }

    [Fact]
    public async Task PolicyAndCredentials_BothConfigured_BothRequired()
    {
        var settings = new Dictionary<string, string?>(Policy());
        foreach (var (key, value) in Credentials("ops", "pw")) settings[key] = value;
        await using var host = await DashboardHost.StartAsync(database, settings, s => { RemoteClient.Simulate(s); AddPolicy(s); });

        host.Client.DefaultRequestHeaders.Authorization = Basic("ops:pw");
        await host.Client.GetPageAsync("/hangfire", HttpStatusCode.Unauthorized);
        host.Client.DefaultRequestHeaders.Authorization = null;
        host.Client.DefaultRequestHeaders.Add(HeaderAuthenticationHandler.Header, "alice;ops");
        using (var noPassword = await host.Client.GetAsync("/hangfire"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, noPassword.StatusCode);
            Assert.Equal("Basic", Assert.Single(noPassword.Headers.WwwAuthenticate).Scheme);
        }

        host.Client.DefaultRequestHeaders.Authorization = Basic("ops:pw");
        await host.Client.GetPageAsync("/hangfire");
    }

    [Fact]
    public async Task ReadOnly_NoCommandButtonsAndCommandsRefusedWithoutEffect()
    {
        await using var host = await DashboardHost.StartAsync(database, new Dictionary<string, string?> { ["JobServer:Dashboard:ReadOnly"] = "true" });
        var scheduled = host.Factory.Client.Create(DashboardHost.Job("sleep", """{"ms":1}"""), new ScheduledState(TimeSpan.FromHours(1)));
        var enqueued = host.Factory.Client.Create(DashboardHost.Job("sleep", """{"ms":1}"""), new EnqueuedState(DashboardHost.IdleQueue));
        var recurringId = "read-only-" + Guid.NewGuid().ToString("N")[..6];
        host.Factory.Services.GetRequiredService<IRecurringJobManager>().AddOrUpdate(recurringId, DashboardHost.Job("sleep", """{"ms":1}"""), Cron.Yearly());

        var pages = new Dictionary<string, string>
        {
            ["/hangfire/jobs/scheduled"] = $"/jobs/details/{scheduled}",
            [$"/hangfire/jobs/enqueued/{DashboardHost.IdleQueue}"] = $"/jobs/details/{enqueued}",
            [$"/hangfire/jobs/details/{scheduled}"] = "sleep 1 ms",
            ["/hangfire/recurring"] = recurringId,
        };
        foreach (var (url, shows) in pages)
        {
            var html = await host.Client.GetPageAsync(url);
            Assert.Contains(shows, html);
            Assert.DoesNotContain("js-jobs-list-command", html);
            Assert.DoesNotContain("data-ajax=", html);
        }

        using var delete = await host.Client.PostWithTokenAsync("/hangfire/jobs/scheduled/delete", [Field("jobs[]", scheduled)]);
        using var deleteEnqueued = await host.Client.PostWithTokenAsync("/hangfire/jobs/enqueued/delete", [Field("jobs[]", enqueued)]);
        using var trigger = await host.Client.PostWithTokenAsync("/hangfire/recurring/trigger", [Field("jobs[]", recurringId)]);
        using var stats = await host.Client.PostWithTokenAsync("/hangfire/stats", [Field("metrics[]", "scheduled:count")]);

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (delete.StatusCode, deleteEnqueued.StatusCode, trigger.StatusCode));
        Assert.Contains("read-only", await delete.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, stats.StatusCode);
        using var connection = host.Factory.Storage.GetConnection();
        Assert.Equal(ScheduledState.StateName, connection.GetStateData(scheduled).Name);
        Assert.Equal(EnqueuedState.StateName, connection.GetStateData(enqueued).Name);
        Assert.Null(connection.GetRecurringJobs([recurringId]).Single().LastJobId);
    }

    [Fact]
    public async Task Command_WithoutAntiforgeryToken403_WithThePagesToken204()
    {
        await using var host = await DashboardHost.StartAsync(database);
        var scheduled = host.Factory.Client.Create(DashboardHost.Job("sleep", """{"ms":1}"""), new ScheduledState(TimeSpan.FromHours(1)));
        await host.Client.GetPageAsync("/hangfire/jobs/scheduled");

        using var forged = await host.Client.PostWithoutTokenAsync("/hangfire/jobs/scheduled/delete", [Field("jobs[]", scheduled)]);
        using (var connection = host.Factory.Storage.GetConnection())
        {
            Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
            Assert.Equal(ScheduledState.StateName, connection.GetStateData(scheduled).Name);
        }

        using var genuine = await host.Client.PostWithTokenAsync("/hangfire/jobs/scheduled/delete", [Field("jobs[]", scheduled)], "/hangfire/jobs/scheduled");
        using (var connection = host.Factory.Storage.GetConnection())
        {
            Assert.Equal(HttpStatusCode.NoContent, genuine.StatusCode);
            Assert.Equal(DeletedState.StateName, connection.GetStateData(scheduled).Name);
        }
    }

    [Fact]
    public async Task Disabled_DashboardIsNotMapped404()
    {
        await using var host = await DashboardHost.StartAsync(database, new Dictionary<string, string?> { ["JobServer:Dashboard:Enabled"] = "false" });

        foreach (var url in new[] { "/hangfire", "/hangfire/jobs/failed", "/hangfire/bulk-inserts" })
        {
            using var response = await host.Client.GetAsync(url);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    [Fact]
    public async Task PathAndTitle_Configured_ServedThereTitledAsTextWithLinksThere()
    {
        await using var host = await DashboardHost.StartAsync(database, new Dictionary<string, string?>
        {
            ["JobServer:Dashboard:Path"] = "/ops/jobs",
            ["JobServer:Dashboard:Title"] = "Ops <b>jobs</b>",
        });

        var html = await host.Client.GetPageAsync("/ops/jobs");

        Assert.Contains("""<a class="navbar-brand" href="/ops/jobs/">Ops &lt;b&gt;jobs&lt;/b&gt;</a>""", html);
        Assert.Contains("""href="/ops/jobs/bulk-inserts""", html);
        Assert.Contains("""data-pollurl="/ops/jobs/stats""", html);
        using var old = await host.Client.GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.NotFound, old.StatusCode);
        using var root = await host.Client.GetAsync("/");
        Assert.Equal("/ops/jobs", root.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Options_UsernameWithoutPassword_RefuseToStart()
    {
        await using var factory = new JobServerFactory(database.ConnectionString, new Dictionary<string, string?> { ["JobServer:Dashboard:Username"] = "ops" });

        var error = Record.Exception(() => factory.CreateClient());

        Assert.Contains("both Username and Password", error?.ToString());
    }

    private static Dictionary<string, string?> Credentials(string user, string password) => new()
    {
        ["JobServer:Dashboard:Username"] = user,
        ["JobServer:Dashboard:Password"] = password,
    };

    private static Dictionary<string, string?> Policy() => new() { ["JobServer:Dashboard:AuthorizationPolicy"] = "JobOperators" };

    private static void AddPolicy(IServiceCollection services)
    {
        services.AddAuthentication(HeaderAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, HeaderAuthenticationHandler>(HeaderAuthenticationHandler.SchemeName, null);
        services.AddAuthorization(o => o.AddPolicy("JobOperators", p => p.RequireRole("ops")));
    }

    private static AuthenticationHeaderValue Basic(string credentials) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
}
