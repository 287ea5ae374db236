using System.Net;
using System.Text.Json;
using Dapper;
using Hangfire;
using Hangfire.States;
using JobServer.Concurrency;
using JobServer.Jobs;
using JobServer.Tests.Infrastructure;
using JobServer.Tests.Recurring;

namespace JobServer.Tests.BulkInsert;

/// <summary>
/// <c>[ConcurrencyLimit(Key = "bulk-insert:{0.Project}", Limit = 1, Mode = Reject)]</c> on the bulk insert: one per
/// project across every host on the database. The hosts here process nothing (ProcessJobs=false), so a created job
/// stays Enqueued and keeps its key for as long as the test needs; the key's release is driven through the states that
/// release it.
/// </summary>
public sealed class BulkInsertGuardTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly Dictionary<string, string?> NoProcessing = new() { ["JobServer:ProcessJobs"] = "false" };

    private static string NewProject() => "guard-" + Guid.NewGuid().ToString("N")[..10];

    private static string Create(JobServerFactory host, string project, int rows = 1_000)
    {
        Assert.True(JobTypes.TryCreateJob(BulkInsertJob.TypeName, JsonSerializer.SerializeToElement(new { rows, project, chunkSize = 1_000 }), out var job, out _));
        return host.Client.Create(job, new EnqueuedState());
    }

    private long JobsMentioning(string project)
    {
        using var connection = database.Open();
        return connection.ExecuteScalar<long>("SELECT COUNT(*) FROM hf_job WHERE arguments LIKE @pattern", new { pattern = $"%{project}%" });
    }

    [Fact]
    public async Task TwoHosts_SameProjectAtTheSameMoment_ExactlyOneCreated_TheOtherRefusedNamingIt()
    {
        await using var first = new JobServerFactory(database.ConnectionString, NoProcessing);
        await using var second = new JobServerFactory(database.ConnectionString, NoProcessing);
        await Task.WhenAll(first.ReadyAsync(), second.ReadyAsync());
        var project = NewProject();

        using var start = new Barrier(2);
        var attempts = new[] { first, second }.Select(host => Task.Run(() =>
        {
            start.SignalAndWait();
            try
            {
                return (Id: Create(host, project), Error: (Exception?)null);
            }
            catch (Exception ex)
            {
                return (Id: (string?)null, Error: ex);
            }
        })).ToArray();
        var results = await Task.WhenAll(attempts);

        var winner = Assert.Single(results, r => r.Id is not null).Id!;
        var refusal = ConcurrencyLimitReachedException.FindIn(Assert.Single(results, r => r.Id is null).Error);
        Assert.NotNull(refusal);
        Assert.Equal($"bulk-insert:{project}", refusal.Key);
        Assert.Equal([winner], refusal.Holders);
        Assert.Contains(winner, refusal.Message);
        // The loser wrote no job row: the refusal comes before Hangfire creates one.
        Assert.Equal(1, JobsMentioning(project));

        // Deleted: the key is free again.
        Assert.True(first.Client.Delete(winner));
        var next = Create(second, project);
        Assert.NotEqual(winner, next);
    }

    [Fact]
    public async Task FailedForGood_FreesTheProject_ButARetryKeepsIt()
    {
        await using var host = new JobServerFactory(database.ConnectionString, NoProcessing);
        await host.ReadyAsync();
        var project = NewProject();
        var id = Create(host, project);

        // A failure with retries left: AutomaticRetry turns it into Scheduled, which still holds the key.
        host.Client.ChangeState(id, new FailedState(new InvalidOperationException("first attempt failed")));
        Assert.Equal(ScheduledState.StateName, host.Storage.GetConnection().GetStateData(id).Name);
        Assert.NotNull(ConcurrencyLimitReachedException.FindIn(Record.Exception(() => Create(host, project))));

        // The last attempt's failure ([AutomaticRetry(Attempts = 3)] has counted three retries): Failed for good.
        using (var connection = host.Storage.GetConnection())
        {
            connection.SetJobParameter(id, "RetryCount", "3");
        }

        host.Client.ChangeState(id, new FailedState(new InvalidOperationException("last attempt failed")));
        Assert.Equal(FailedState.StateName, host.Storage.GetConnection().GetStateData(id).Name);
        Assert.NotNull(Create(host, project));
    }

    [Fact]
    public async Task Succeeded_FreesTheProject()
    {
        await using var host = new JobServerFactory(database.ConnectionString);
        await host.ReadyAsync();
        var project = NewProject();
        var id = Create(host, project, rows: 2_000);

        await Eventually.UntilAsync(() => host.Storage.GetConnection().GetStateData(id)?.Name, s => s == SucceededState.StateName, TimeSpan.FromSeconds(60), $"bulk insert {id} to succeed");

        var next = Create(host, project, rows: 2_000);
        await Eventually.UntilAsync(() => host.Storage.GetConnection().GetStateData(next)?.Name, s => s == SucceededState.StateName, TimeSpan.FromSeconds(60), $"bulk insert {next} to succeed");
        using var connection = database.Open();
        Assert.Equal(4_000, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM api_data WHERE project = @project", new { project }));
    }

    [Fact]
    public async Task RecurringBulkInsert_TriggeredWhileTheProjectIsBusy_Is409_AndCreatesNothing()
    {
        await using var host = new JobServerFactory(database.ConnectionString, NoProcessing);
        using var client = await host.CreateReadyClientAsync();
        var project = NewProject();
        var id = RecurringTestKit.NewId("bulk");
        await client.PutRecurringAsync(id, new { cron = Cron.Never(), type = "bulk-insert", args = new { rows = 1_000, project } });
        var holder = Create(host, project);

        using var response = await client.PostAsync(RecurringTestKit.Path(id, "trigger"), null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(1, JobsMentioning(project));
        host.Client.Delete(holder);
        await client.PostRecurringAsync(id, "trigger", HttpStatusCode.Accepted);
        Assert.Equal(2, JobsMentioning(project));
    }
}
