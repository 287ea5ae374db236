using Hangfire;
using Hangfire.States;
using JobServer.Storage.MySql.Tests.Child;
using JobServer.Storage.MySql.Tests.Infrastructure;

namespace JobServer.Storage.MySql.Tests.EndToEnd;

/// <summary>A database of its own: the job's counters must not mix with the other end-to-end classes'.</summary>
public sealed class StateLockReleaseTests(MySqlTestDatabase db) : IClassFixture<MySqlTestDatabase>
{
    /// <summary>Hangfire's own state changes (Processing, then Succeeded) are the ones whose commit releases the job's
    /// state lock in the same round trip: the shortcut matches how Hangfire.Core takes the lock and commits.</summary>
    [Fact]
    public async Task Enqueue_OneServer_EachStateChangeReleasesItsLockWithItsCommit()
    {
        using var storage = EndToEndSetup.Prepare(db);
        var tables = new HangfireTables(db, storage);
        var tag = EndToEndSetup.NewTag("lock-with-commit");
        var id = new BackgroundJobClient(storage).Enqueue(() => E2EJobs.Record(db.ConnectionString, tag, null!));

        using (TestServers.Start(storage))
        {
            await Eventually.Until(() => tables.State(id), s => s == SucceededState.StateName, TimeSpan.FromSeconds(15), $"job {id} Succeeded");
        }

        Assert.True(storage.Commits.ReleasedWithCommit >= 2, $"{storage.Commits.ReleasedWithCommit} of the job's 2 state changes released their lock with the commit");
    }
}
