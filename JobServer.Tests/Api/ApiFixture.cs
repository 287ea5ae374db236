using Dapper;
using JobServer.Tests.Infrastructure;

namespace JobServer.Tests.Api;

/// <summary>
/// One database and one running host (real Hangfire servers on our storage) per test class; xunit runs a class's
/// tests one after another. Tests share the database, so each reasons about the jobs it created.
/// </summary>
public sealed class ApiFixture : IAsyncLifetime
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
        Client?.Dispose();
        if (Factory is not null)
        {
            await Factory.DisposeAsync();
        }

        await Database.DisposeAsync();
    }

    /// <summary>Rows of every Hangfire table a job creation touches: what a refused request must leave unchanged.</summary>
    public long CountJobRows()
    {
        using var connection = Database.Open();
        return connection.ExecuteScalar<long>("""
            SELECT (SELECT COUNT(*) FROM hf_job) + (SELECT COUNT(*) FROM hf_state)
                 + (SELECT COUNT(*) FROM hf_job_queue) + (SELECT COUNT(*) FROM hf_set WHERE `key` = 'schedule')
                 + (SELECT COUNT(*) FROM hf_job_parameter)
            """);
    }
}
