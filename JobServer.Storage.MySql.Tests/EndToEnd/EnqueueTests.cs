using Hangfire;
using Hangfire.States;
using JobServer.Storage.MySql.Tests.Child;
using JobServer.Storage.MySql.Tests.Infrastructure;

namespace JobServer.Storage.MySql.Tests.EndToEnd;

public sealed class EnqueueTests(MySqlTestDatabase db) : IClassFixture<MySqlTestDatabase>
{
    [Fact]
    public async Task Enqueue_OneServer_SucceedsOnceWithFullHistoryAndCounter()
    {
        using var storage = EndToEndSetup.Prepare(db);
        var tables = new HangfireTables(db, storage);
        var tag = EndToEndSetup.NewTag("enqueue");
        var id = new BackgroundJobClient(storage).Enqueue(() => E2EJobs.Record(db.ConnectionString, tag, null!));

        using (TestServers.Start(storage))
        {
            await Eventually.Until(() => tables.State(id), s => s == SucceededState.StateName, TimeSpan.FromSeconds(15), $"job {id} Succeeded");
        }

        Assert.Equal([EnqueuedState.StateName, ProcessingState.StateName, SucceededState.StateName], tables.History(id));
        Assert.Equal(1, tables.Counter("stats:succeeded"));
        Assert.Empty(tables.QueueRowsUnfetched(id));
        Assert.Equal([ExecutionLog.Started, ExecutionLog.Finished], ExecutionLog.Read(db.ConnectionString, tag).Select(e => e.Event));
        Assert.Equal(1, FetchAudit.ClaimsPerJob(db)[long.Parse(id)]);
    }
}
