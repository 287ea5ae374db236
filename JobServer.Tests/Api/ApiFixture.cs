using Dapper;
using JobServer.Tests.Infrastructure;

namespace JobServer.Tests.Api;

/// <summary>
/// One database and one running host per test class (xunit runs a class's tests one after another), with the test
/// job types registered. Tests share the database, so each one reasons about the jobs it created, not about totals
/// it did not control.
/// </summary>
public sealed class ApiFixture : IAsyncLifetime
{
    public TestDatabase Database { get; } = new();

    public ExecutionLog Log { get; } = new();

    public ApiFactory Factory { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        Factory = new ApiFactory(Database.ConnectionString, services => services.AddTestJobs(Log));
        Client = await Factory.CreateReadyClientAsync();
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

    /// <summary>Rows in every table a job creation touches: what a refused request must leave unchanged.</summary>
    public long CountJobRows()
    {
        using var connection = Database.Open();
        return connection.ExecuteScalar<long>("""
            SELECT (SELECT COUNT(*) FROM js_job) + (SELECT COUNT(*) FROM js_job_history)
                 + (SELECT COUNT(*) FROM js_queue) + (SELECT COUNT(*) FROM js_schedule)
            """);
    }
}
