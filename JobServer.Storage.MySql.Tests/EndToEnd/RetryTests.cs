using Hangfire;
using Hangfire.States;
using JobServer.Storage.MySql.Tests.Child;
using JobServer.Storage.MySql.Tests.Infrastructure;

namespace JobServer.Storage.MySql.Tests.EndToEnd;

public sealed class RetryTests(MySqlTestDatabase db) : IClassFixture<MySqlTestDatabase>
{
    [Fact]
    public async Task AutomaticRetry_TwoAttemptsJobAlwaysThrows_FailedAfterThreeRunsWithExceptionDetails()
    {
        using var storage = EndToEndSetup.Prepare(db);
        var tables = new HangfireTables(db, storage);
        var tag = EndToEndSetup.NewTag("retry");
        using var server = TestServers.Start(storage);

        // E2EJobs.AlwaysFail: [AutomaticRetry(Attempts = 2, DelaysInSeconds = [1])].
        var id = new BackgroundJobClient(storage).Enqueue(() => E2EJobs.AlwaysFail(db.ConnectionString, tag, null!));

        // Between attempts the job waits a second in the retries set.
        await Eventually.Until(() => tables.SetContains("retries", id), TimeSpan.FromSeconds(15), $"job {id} in the retries set");
        await Eventually.Until(() => tables.State(id), s => s == FailedState.StateName, TimeSpan.FromSeconds(20), $"job {id} Failed");

        var runs = ExecutionLog.Read(db.ConnectionString, tag).Where(e => e.Event == ExecutionLog.Started).ToList();
        Assert.Equal(3, runs.Count);
        var history = tables.HistoryWithReasons(id);
        Assert.Equal(
            [EnqueuedState.StateName, ProcessingState.StateName, FailedState.StateName, ScheduledState.StateName,
             EnqueuedState.StateName, ProcessingState.StateName, FailedState.StateName, ScheduledState.StateName,
             EnqueuedState.StateName, ProcessingState.StateName, FailedState.StateName],
            history.Select(h => h.Name));
        Assert.All(history.Where(h => h.Name == ScheduledState.StateName), h => Assert.StartsWith("Retry attempt", h.Reason));

        var failed = tables.StateData(id)!;
        Assert.Equal(FailedState.StateName, failed.Name);
        Assert.Equal(typeof(InvalidOperationException).FullName, failed.Data["ExceptionType"]);
        Assert.Equal($"E2E failure of job {id} ({tag})", failed.Data["ExceptionMessage"]);
        Assert.Contains($"at {typeof(E2EJobs).FullName}.{nameof(E2EJobs.AlwaysFail)}", failed.Data["ExceptionDetails"]);
        Assert.Empty(tables.QueueRowsUnfetched(id));
    }
}
