using Hangfire;
using Hangfire.States;
using JobServer.Storage.MySql.Tests.Child;
using JobServer.Storage.MySql.Tests.Infrastructure;

namespace JobServer.Storage.MySql.Tests.EndToEnd;

public sealed class DeleteTests(MySqlTestDatabase db) : IClassFixture<MySqlTestDatabase>
{
    private static readonly TimeSpan CancellationCheckInterval = TimeSpan.FromMilliseconds(200);

    [Fact]
    public async Task Delete_JobRunningOnItsToken_TokenCancelledAndJobEndsDeleted()
    {
        using var storage = EndToEndSetup.Prepare(db);
        var tables = new HangfireTables(db, storage);
        var tag = EndToEndSetup.NewTag("delete");
        var client = new BackgroundJobClient(storage);
        using var server = TestServers.Start(storage, configure: o => o.CancellationCheckInterval = CancellationCheckInterval);

        var id = client.Enqueue(() => E2EJobs.Sleep(db.ConnectionString, tag, 60_000, null!, CancellationToken.None));
        await Eventually.Until(() => ExecutionLog.Read(db.ConnectionString, tag), log => log.Any(e => e.Event == ExecutionLog.Started), TimeSpan.FromSeconds(15), $"job {id} started");

        var deletedAt = DateTime.UtcNow;
        Assert.True(client.Delete(id));

        var cancelled = await Eventually.Until(
            () => ExecutionLog.Read(db.ConnectionString, tag).SingleOrDefault(e => e.Event == ExecutionLog.Cancelled),
            e => e is not null, TimeSpan.FromSeconds(10), $"job {id} saw its token cancelled");
        Assert.True(cancelled!.At - deletedAt < CancellationCheckInterval + TimeSpan.FromSeconds(2), $"Cancelled {cancelled.At - deletedAt} after the delete.");
        // The worker lets go of an aborted job: its queue row is removed, its state stays Deleted.
        await Eventually.Until(() => tables.QueueRowsUnfetched(id), rows => rows.Count == 0, TimeSpan.FromSeconds(10), $"queue row of job {id} removed");
        Assert.Equal(DeletedState.StateName, tables.State(id));
        Assert.Equal([EnqueuedState.StateName, ProcessingState.StateName, DeletedState.StateName], tables.History(id));
        Assert.DoesNotContain(ExecutionLog.Read(db.ConnectionString, tag), e => e.Event == ExecutionLog.Finished);
    }
}
