using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using JobServer.Api;
using JobServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace JobServer.Tests.Api;

/// <summary>Who may change jobs over HTTP: by default only this machine; elsewhere only with credentials or a policy.</summary>
public sealed class ApiAccessTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly object SleepJob = new { type = "sleep", args = new { ms = 0 } };

    private async Task<(JobServerFactory Factory, HttpClient Client)> StartAsync(Action<IServiceCollection> configure, IDictionary<string, string?>? settings = null)
    {
        var factory = new JobServerFactory(database.ConnectionString, settings, configure);
        return (factory, await factory.CreateReadyClientAsync());
    }

    [Fact]
    public async Task RemoteClient_NothingConfigured_CanReadButNotChange()
    {
        var (factory, client) = await StartAsync(services => RemoteClient.Simulate(services));
        await using var _ = factory;
        using var __ = client;

        using var read = await client.GetAsync("/api/stats");
        using var health = await client.GetAsync("/health");
        using var create = await client.PostAsJsonAsync("/api/jobs", SleepJob);
        using var batch = await client.PostAsJsonAsync("/api/jobs/batch", new { jobs = new[] { SleepJob } });
        using var delete = await client.DeleteAsync("/api/jobs/1");
        using var requeue = await client.PostAsync("/api/jobs/1/requeue", null);
        using var bulk = await client.PostAsJsonAsync("/api/bulk-insert", new { rows = 1, project = "p" });

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        var problem = await JobApi.AssertProblemAsync(create, HttpStatusCode.Forbidden);
        Assert.Contains("JobServer:Api", problem.GetProperty("detail").GetString());
        foreach (var refused in new[] { batch, delete, requeue, bulk })
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }
    }

    [Fact]
    public async Task RemoteClient_CredentialsConfigured_NeedsThemToChange()
    {
        var (factory, client) = await StartAsync(RemoteClient.Simulate, new Dictionary<string, string?>
        {
            ["JobServer:Api:Username"] = "ops",
            ["JobServer:Api:Password"] = "s3cret",
        });
        await using var _ = factory;
        using var __ = client;

        using var anonymous = await client.PostAsJsonAsync("/api/jobs", SleepJob);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains("Basic", anonymous.Headers.WwwAuthenticate.ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostWithCredentialsAsync(client, "ops:wrong")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await PostWithCredentialsAsync(client, "ops:s3cret")).StatusCode);
    }

    [Fact]
    public async Task RemoteClient_PolicyConfigured_ChangesWhenThePolicyAllows()
    {
        var (factory, client) = await StartAsync(services =>
        {
            RemoteClient.Simulate(services);
            services.AddAuthorizationBuilder().AddPolicy("operators", p => p.RequireClaim("role", "operator"));
            // Stands in for an authentication scheme: the header says who the caller is.
            services.AddSingleton<IStartupFilter>(new RoleFromHeader());
        }, new Dictionary<string, string?> { ["JobServer:Api:AuthorizationPolicy"] = "operators" });
        await using var _ = factory;
        using var __ = client;

        using var anonymous = await client.PostAsJsonAsync("/api/jobs", SleepJob);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/jobs") { Content = JsonContent.Create(SleepJob) };
        request.Headers.Add("X-Test-Role", "operator");
        using var allowed = await client.SendAsync(request);

        var problem = await JobApi.AssertProblemAsync(anonymous, HttpStatusCode.Forbidden);
        Assert.Contains("operators", problem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Accepted, allowed.StatusCode);
    }

    [Fact]
    public async Task LocalClient_NothingConfigured_CanChange()
    {
        var (factory, client) = await StartAsync(_ => { });
        await using var _ = factory;
        using var __ = client;

        using var create = await client.PostAsJsonAsync("/api/jobs", SleepJob);

        Assert.Equal(HttpStatusCode.Accepted, create.StatusCode);
    }

    private static async Task<HttpResponseMessage> PostWithCredentialsAsync(HttpClient client, string userAndPassword)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/jobs") { Content = JsonContent.Create(SleepJob) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(userAndPassword)));
        return await client.SendAsync(request);
    }

    private sealed class RoleFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((HttpContext context, RequestDelegate nextMiddleware) =>
            {
                if (context.Request.Headers["X-Test-Role"] is [{ } role])
                {
                    context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim("role", role)], "test"));
                }

                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
