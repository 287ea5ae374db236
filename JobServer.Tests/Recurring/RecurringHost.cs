using JobServer.Tests.Infrastructure;

namespace JobServer.Tests.Recurring;

/// <summary>One test database and one running host for a class of HTTP tests (each test uses its own ids).</summary>
public sealed class RecurringHost : IAsyncLifetime
{
    public TestDatabase Database { get; } = new();

    public JobServerFactory Factory { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        Factory = new JobServerFactory(Database.ConnectionString);
        Client = await Factory.CreateReadyClientAsync();
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
        await Database.DisposeAsync();
    }
}
