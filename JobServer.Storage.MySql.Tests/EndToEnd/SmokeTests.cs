using Hangfire;
using Hangfire.States;
using JobServer.Storage.MySql.Tests.Infrastructure;

namespace JobServer.Storage.MySql.Tests.EndToEnd;

public sealed class SmokeTests : IClassFixture<MySqlTestDatabase>
{
    private readonly MySqlTestDatabase _db;
    public SmokeTests(MySqlTestDatabase db) => _db = db;

    public static int Runs;
    public static void Work() => Interlocked.Increment(ref Runs);

    [Fact]
    public async Task Enqueue_RunsOnServer_Succeeded()
    {
        using var storage = _db.CreateStorage();
        var client = new BackgroundJobClient(storage);
        var id = client.Enqueue(() => Work());
        using var server = new BackgroundJobServer(new BackgroundJobServerOptions { WorkerCount = 2 }, storage);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        string? state = null;
        while (DateTime.UtcNow < deadline)
        {
            using var c = storage.GetConnection();
            state = c.GetJobData(id)?.State;
            if (state == SucceededState.StateName) break;
            await Task.Delay(50);
        }
        Assert.Equal(SucceededState.StateName, state);
        var api = (Hangfire.Storage.JobStorageConnection)storage.GetConnection();
        Assert.Equal(1, api.GetCounter("stats:succeeded"));
    }
}
