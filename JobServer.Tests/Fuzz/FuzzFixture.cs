using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using JobServer.Tests.Infrastructure;

namespace JobServer.Tests.Fuzz;

/// <summary>
/// The real host on its own database as a web front end that processes nothing (<c>JobServer:ProcessJobs=false</c>:
/// no Hangfire server, so no worker, scheduler, heartbeat or maintenance writes): then only requests change the
/// database, and a checksum taken before and after a request tells exactly what it wrote. Jobs the fuzzer gets accepted
/// stay where they were put, and pages must show them however odd their content.
/// </summary>
public sealed class FuzzFixture : IAsyncLifetime
{
    /// <summary>A queue no server works (none runs here anyway): valid generated jobs are sent there.</summary>
    public const string IdleQueue = "fuzz-idle";

    public const string Dashboard = "/hangfire";

    public TestDatabase Database { get; } = new();

    public JobServerFactory Factory { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    /// <summary>The bulk-insert projects whose keys accepted jobs hold in this database.</summary>
    internal HeldProjects HeldProjects { get; } = new();

    /// <summary>An Enqueued job that never ends: the parent that makes a generated continuation valid.</summary>
    public long ParentJobId { get; private set; }

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        Factory = new JobServerFactory(Database.ConnectionString, new Dictionary<string, string?> { ["JobServer:ProcessJobs"] = "false" });
        Client = await Factory.CreateReadyClientAsync();
        using var parent = await Client.PostAsJsonAsync("/api/jobs", new { type = "sleep", queue = IdleQueue });
        Assert.Equal(HttpStatusCode.Accepted, parent.StatusCode);
        ParentJobId = (await parent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (Factory is not null)
        {
            await Factory.DisposeAsync();
        }

        await Database.DisposeAsync();
    }
}
