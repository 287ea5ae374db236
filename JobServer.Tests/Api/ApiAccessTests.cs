using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using JobServer.Api;
using JobServer.Tests.Dashboard;
using JobServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace JobServer.Tests.Api;

/// <summary>Who may change jobs over HTTP: by default only this machine; elsewhere only with the configured credentials.</summary>
public sealed class ApiAccessTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly object SleepJob = new { type = "sleep", args = new { ms = 0 } };

    private async Task<(ApiFactory Factory, HttpClient Client)> StartAsync(Action<IServiceCollection> configure)
    {
        var factory = new ApiFactory(database.ConnectionString, configure);
        return (factory, await factory.CreateReadyClientAsync());
    }

    [Fact]
    public async Task RemoteClient_NothingConfigured_CanReadButNotChange()
    {
        var (factory, client) = await StartAsync(services => RemoteClient.Simulate(services));
        await using var _ = factory;
        using var __ = client;

        using var read = await client.GetAsync("/api/stats");
        using var create = await client.PostAsJsonAsync("/api/jobs", SleepJob);
        using var delete = await client.DeleteAsync("/api/jobs/1");
        using var recurring = await client.PutAsJsonAsync("/api/recurring/x", new { cron = "* * * * *", type = "sleep" });

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        Assert.Equal("application/problem+json", create.Content.Headers.ContentType?.MediaType);
        Assert.Contains("JobServer:Api", await create.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, recurring.StatusCode);
    }

    [Fact]
    public async Task RemoteClient_CredentialsConfigured_NeedsThemToChange()
    {
        var (factory, client) = await StartAsync(services =>
        {
            RemoteClient.Simulate(services);
            services.Configure<ApiAccessOptions>(o => (o.Username, o.Password) = ("ops", "s3cret"));
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
}
