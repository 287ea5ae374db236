using System.Net;
using System.Net.Http.Headers;
using System.Text;
using JobServer.Dashboard;
using JobServer.Engine.Client;
using JobServer.Tests.Api;
using JobServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;

namespace JobServer.Tests.Dashboard;

/// <summary>
/// Who may see and steer the dashboard, each configuration on its own host: local-only by default, HTTP Basic with
/// credentials, an application's authorization policy, read-only mode; also disabled and moved dashboards.
/// </summary>
public sealed class DashboardSecurityTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly string[] GuardedUrls = ["/dashboard", "/dashboard/jobs/failed", "/dashboard/api/stats", "/dashboard/assets/dashboard.css"];

    [Fact]
    public async Task RemoteRequest_NothingConfigured_Returns403EverywhereButLeavesTheApiAlone()
    {
        await using var host = await StartAsync(services => RemoteClient.Simulate(services));

        foreach (var url in GuardedUrls)
        {
            var html = await host.Client.GetPageAsync(url, HttpStatusCode.Forbidden);
            Assert.Contains("only requests from this machine", html);
        }

        using var post = await host.Client.PostFormAsync("/dashboard/jobs/delete", [KeyValuePair.Create("ids", "1")]);
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        using var api = await host.Client.GetAsync("/api/stats");
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
    }

    [Fact]
    public async Task LoopbackRequest_NothingConfigured_Returns200()
    {
        await using var host = await StartAsync(services => RemoteClient.Simulate(services, IPAddress.IPv6Loopback));

        await host.Client.GetPageAsync("/dashboard");
    }

    [Fact]
    public async Task RemoteRequest_CredentialsConfigured_NeedsThemThroughBasicAuth()
    {
        await using var host = await StartAsync(services =>
        {
            RemoteClient.Simulate(services);
            services.Configure<DashboardOptions>(o => (o.Username, o.Password) = ("ops", "s3cret:with-colon"));
        });

        foreach (var credentials in new[] { null, "ops:wrong", "Ops:s3cret:with-colon", "ops:s3cret:with-colo" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/dashboard");
            if (credentials is not null)
            {
                request.Headers.Authorization = Basic(credentials);
            }

            using var denied = await host.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
            Assert.Equal("Basic", Assert.Single(denied.Headers.WwwAuthenticate).Scheme);
        }

        host.Client.DefaultRequestHeaders.Authorization = Basic("ops:s3cret:with-colon");
        var page = await host.Client.GetPageAsync("/dashboard/jobs/enqueued");
        Assert.Contains("data-testid=\"state-tabs\"", page);
        await host.Client.GetPageAsync("/dashboard/api/stats");
    }

    [Fact]
    public async Task LocalRequest_CredentialsConfigured_StillNeedsThem()
    {
        await using var host = await StartAsync(services => services.Configure<DashboardOptions>(o => (o.Username, o.Password) = ("ops", "pw")));

        await host.Client.GetPageAsync("/dashboard", HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task RemoteRequest_PolicyConfigured_IsJudgedByThePolicy()
    {
        await using var host = await StartAsync(services =>
        {
            RemoteClient.Simulate(services);
            services.AddAuthentication(HeaderAuthenticationHandler.SchemeName)
                .AddScheme<AuthenticationSchemeOptions, HeaderAuthenticationHandler>(HeaderAuthenticationHandler.SchemeName, null);
            services.AddAuthorization(o => o.AddPolicy("JobOperators", p => p.RequireRole("ops")));
            services.Configure<DashboardOptions>(o => o.AuthorizationPolicy = "JobOperators");
        });

        await host.Client.GetPageAsync("/dashboard", HttpStatusCode.Unauthorized);
        host.Client.DefaultRequestHeaders.Add(HeaderAuthenticationHandler.Header, "visitor");
        await host.Client.GetPageAsync("/dashboard", HttpStatusCode.Forbidden);
        host.Client.DefaultRequestHeaders.Remove(HeaderAuthenticationHandler.Header);
        host.Client.DefaultRequestHeaders.Add(HeaderAuthenticationHandler.Header, "alice;ops");
        await host.Client.GetPageAsync("/dashboard");
        await host.Client.GetPageAsync("/dashboard/servers");
    }

    [Fact]
    public async Task ReadOnly_PagesHaveNoButtonsAndPostsAre403()
    {
        await using var host = await StartAsync(services => services.Configure<DashboardOptions>(o => o.ReadOnly = true));
        var id = host.Factory.Services.GetRequiredService<IJobClient>().Schedule("sleep", null, TimeSpan.FromHours(1), "read-only-q");

        var list = await host.Client.GetPageAsync("/dashboard/jobs/scheduled?queue=read-only-q");
        var detail = await host.Client.GetPageAsync($"/dashboard/jobs/{id}");

        Assert.Equal([id], DashboardPages.JobRowIds(list));
        foreach (var html in new[] { list, detail })
        {
            Assert.DoesNotContain("method=\"post\"", html);
            Assert.DoesNotContain("name=\"ids\"", html);
            Assert.DoesNotContain(DashboardPages.TokenField, html);
            Assert.Contains("data-testid=\"read-only\"", html);
        }

        using var post = await host.Client.PostFormAsync("/dashboard/jobs/delete", [KeyValuePair.Create("ids", $"{id}")]);
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Equal("Scheduled", (await host.Client.GetJobAsync(id)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task Disabled_DashboardIsNotMapped()
    {
        await using var host = await StartAsync(services => services.Configure<DashboardOptions>(o => o.Enabled = false));

        using var response = await host.Client.GetAsync("/dashboard");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Path_Configured_ServesAndLinksThere()
    {
        await using var host = await StartAsync(services => services.Configure<DashboardOptions>(o => o.Path = "/ops/jobs"));

        var html = await host.Client.GetPageAsync("/ops/jobs");

        Assert.Contains("""<a href="/ops/jobs/servers" data-testid="nav-servers">""", html);
        Assert.Contains("data-stats-url=\"/ops/jobs/api/stats\"", html);
        using var old = await host.Client.GetAsync("/dashboard");
        Assert.Equal(HttpStatusCode.NotFound, old.StatusCode);
    }

    [Fact]
    public async Task Options_UsernameWithoutPassword_RefuseToStart()
    {
        await using var factory = new ApiFactory(database.ConnectionString, services =>
            services.Configure<DashboardOptions>(o => o.Username = "ops"));

        var error = Record.Exception(() => factory.CreateClient());

        Assert.Contains("both Username and Password", error?.ToString());
    }

    private static AuthenticationHeaderValue Basic(string credentials) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));

    private async Task<Host> StartAsync(Action<IServiceCollection> configure)
    {
        var factory = new ApiFactory(database.ConnectionString, services =>
        {
            services.AddTestJobs(new ExecutionLog());
            configure(services);
        });
        return new Host(factory, await factory.CreateReadyClientAsync());
    }

    private sealed record Host(ApiFactory Factory, HttpClient Client) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await Factory.DisposeAsync();
        }
    }
}
