using Dapper;
using Hangfire;
using Hangfire.States;
using JobServer.Jobs;
using JobServer.Tests.Infrastructure;
using MySqlConnector;

namespace JobServer.Tests.Hosting;

/// <summary>
/// A job row whose stored arguments no longer deserialize (damaged by hand, by a bad migration, by a shipped type
/// changing shape) is never run: it ends Failed at once, no retries, with a reason that says the job could not be
/// loaded — and the single worker that met it goes on to the next job.
/// </summary>
public sealed class DamagedArgumentsTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Theory]
    [InlineData("[\"{\\\"ms\\\":")]                 // truncated JSON inside the argument
    [InlineData("[{\"ms\":1}")]                     // the argument list itself cut short
    [InlineData("[\"{\\\"ms\\\":\\\"soon\\\"}\"]")] // a string where the job's argument type has a number
    [InlineData("not json")]
    public async Task StoredJobWithDamagedArguments_EndsFailedWithoutRetries_TheWorkerRunsTheNextJob(string damaged)
    {
        await using var host = new JobServerFactory(database.ConnectionString, new Dictionary<string, string?>
        {
            // One worker in all: the job after the damaged one can only run if that worker survived it.
            ["JobServer:Servers:0:Workers"] = "1",
            ["JobServer:Servers:1:Workers"] = "1",
            ["JobServer:Servers:1:Queues:0"] = "cpu-unused-" + Guid.NewGuid().ToString("N")[..6],
        });
        await host.ReadyAsync();
        Assert.True(JobTypes.TryCreateJob("sleep", System.Text.Json.JsonDocument.Parse("""{"ms":1}""").RootElement, out var job, out _));
        // Enqueued on a queue no server reads, so no worker sees it before its row is damaged; then moved to the
        // worker's queue by hand, as a row written straight into the database would arrive.
        var damagedId = host.Client.Create(job, new EnqueuedState("parked"));
        await using (var connection = new MySqlConnection(database.ConnectionString))
        {
            var id = long.Parse(damagedId);
            Assert.Equal(1, await connection.ExecuteAsync("UPDATE hf_job SET arguments = @damaged WHERE id = @id", new { damaged, id }));
            Assert.Equal(1, await connection.ExecuteAsync("UPDATE hf_job_queue SET queue = 'default' WHERE job_id = @id", new { id }));
        }

        var nextId = host.Client.Create(job, new EnqueuedState());

        await Eventually.UntilAsync(() => StateOf(host, damagedId), s => s == FailedState.StateName, TimeSpan.FromSeconds(20), $"damaged job {damagedId} to fail");
        await Eventually.UntilAsync(() => StateOf(host, nextId), s => s == SucceededState.StateName, TimeSpan.FromSeconds(20), $"the next job {nextId} to succeed on the same worker");
        using var storage = host.Storage.GetConnection();
        var failed = storage.GetStateData(damagedId);
        Assert.StartsWith("The job cannot be loaded", failed.Reason, StringComparison.Ordinal);
        Assert.Equal(nameof(Hangfire.Common.JobLoadException), failed.Data["ExceptionType"].Split('.')[^1]);
        Assert.Null(storage.GetJobParameter(damagedId, "RetryCount"));
        Assert.DoesNotContain(host.Storage.GetMonitoringApi().JobDetails(damagedId).History, h => h.StateName == ProcessingState.StateName);
    }

    private static string? StateOf(JobServerFactory host, string id)
    {
        using var connection = host.Storage.GetConnection();
        return connection.GetStateData(id)?.Name;
    }
}
