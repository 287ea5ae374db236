using Hangfire;
using Hangfire.States;
using JobServer.Storage.MySql.Tests.Child;
using JobServer.Storage.MySql.Tests.Infrastructure;

namespace JobServer.Storage.MySql.Tests.EndToEnd;

public sealed class ContinuationTests(MySqlTestDatabase db) : IClassFixture<MySqlTestDatabase>
{
    [Fact]
    public async Task ContinueJobWith_ParentRunsHalfASecond_ContinuationRunsOnlyAfterParentSucceeded()
    {
        using var storage = EndToEndSetup.Prepare(db);
        var tables = new HangfireTables(db, storage);
        var tag = EndToEndSetup.NewTag("continuation");
        var client = new BackgroundJobClient(storage);
        // Workers to spare: a continuation released too early would find one free at once.
        using var server = TestServers.Start(storage, workers: 4);

        var parent = client.Enqueue(() => E2EJobs.Sleep(db.ConnectionString, tag, 500, null!, CancellationToken.None));
        var continuation = client.ContinueJobWith(parent, () => E2EJobs.Record(db.ConnectionString, tag, null!));
        Assert.Equal(AwaitingState.StateName, tables.State(continuation));

        await Eventually.Until(() => tables.State(continuation), s => s == SucceededState.StateName, TimeSpan.FromSeconds(15), $"continuation {continuation} Succeeded");

        var log = ExecutionLog.Read(db.ConnectionString, tag);
        var parentFinished = log.Single(e => e.JobId == long.Parse(parent) && e.Event == ExecutionLog.Finished);
        var continuationStarted = log.Single(e => e.JobId == long.Parse(continuation) && e.Event == ExecutionLog.Started);
        Assert.True(continuationStarted.Id > parentFinished.Id, "The continuation started before its parent finished.");
        // Hangfire's ContinuationsSupport enqueues continuations during the parent's election to Succeeded, i.e. after
        // the parent performed successfully but before that state's transaction commits; so order by the execution log.
        Assert.Equal([AwaitingState.StateName, EnqueuedState.StateName, ProcessingState.StateName, SucceededState.StateName], tables.History(continuation));
    }
}
