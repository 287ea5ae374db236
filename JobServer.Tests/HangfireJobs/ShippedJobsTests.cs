using System.Diagnostics;
using Hangfire;
using Hangfire.States;
using JobServer.Jobs;
using JobServer.Tests.Infrastructure;
using Xunit.Abstractions;

namespace JobServer.Tests.HangfireJobs;

/// <summary>sleep, fail, cpu, http-aggregate and report on real Hangfire servers over our storage.</summary>
public sealed class ShippedJobsTests(TestDatabase database, ITestOutputHelper output) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Sleep_Short_SucceedsWithResult()
    {
        using var host = new HangfireJobsHost(database);
        host.StartServer();
        var id = host.Create(SleepJob.TypeName, new { ms = 50 });

        var succeeded = await host.WaitForStateAsync(id, SucceededState.StateName);

        Assert.Equal(50, HangfireJobsHost.ResultOf(succeeded).GetProperty("slept").GetInt32());
    }

    [Fact]
    public async Task Sleep_DeletedWhileWaiting_StopsAtOnce()
    {
        using var host = new HangfireJobsHost(database);
        host.StartServer();
        var id = host.Create(SleepJob.TypeName, new { ms = SleepArguments.MaxMs });
        await host.WaitForStateAsync(id, ProcessingState.StateName);

        host.Client.Delete(id);

        // An hour's sleep ends within the test's deadline only if the deletion cancelled it.
        await host.WaitUntilPerformedAsync(id, TimeSpan.FromSeconds(30));
        Assert.Equal(DeletedState.StateName, host.State(id)!.Name);
    }

    [Fact]
    public async Task Fail_Always_EndsFailedWithMessageAndStackTrace()
    {
        using var host = new HangfireJobsHost(database);
        host.StartServer();
        var id = host.Create(FailJob.TypeName, new { message = "boom on purpose" });

        var failed = await host.WaitForStateAsync(id, FailedState.StateName);

        Assert.Equal("boom on purpose", failed.Data["ExceptionMessage"]);
        Assert.Equal(typeof(InvalidOperationException).FullName, failed.Data["ExceptionType"]);
        Assert.Contains($"{typeof(FailJob).FullName}.{nameof(FailJob.Run)}", failed.Data["ExceptionDetails"]);
    }

    [Fact]
    public async Task Fail_SucceedAfterPassed_Succeeds()
    {
        using var host = new HangfireJobsHost(database);
        host.StartServer();
        var id = host.Create(FailJob.TypeName, new { succeedAfter = DateTimeOffset.UtcNow.AddMinutes(-1) });

        var succeeded = await host.WaitForStateAsync(id, SucceededState.StateName);

        Assert.True(HangfireJobsHost.ResultOf(succeeded).GetProperty("recovered").GetBoolean());
    }

    [Fact]
    public async Task Cpu_OneMillion_Counts78498PrimesOnTheCpuQueue()
    {
        using var host = new HangfireJobsHost(database);
        // A server that serves only "cpu": the job can finish only if [Queue("cpu")] put it there.
        host.StartServer(queues: [CpuJob.QueueName], workers: Environment.ProcessorCount);
        var id = host.Create(CpuJob.TypeName, new { n = 1_000_000 });

        var succeeded = await host.WaitForStateAsync(id, SucceededState.StateName);

        var result = HangfireJobsHost.ResultOf(succeeded);
        Assert.Equal(78_498, result.GetProperty("primes").GetInt32());
        Assert.Equal(1_000_000, result.GetProperty("n").GetInt32());
        // Two sieve segments: one progress report after the first, none after the last (the result says it all).
        Assert.True(JobProgress.Read(host.Storage, id) is { Total: 1_000_000, Done: > 0 and < 1_000_000 });
    }

    [Fact]
    public async Task HttpAggregate_SlowEndpoints_CallsConcurrentlyAndReportsAFailingUrlInItsEntry()
    {
        await using var endpoint = await SlowEndpoint.StartAsync();
        using var host = new HangfireJobsHost(database);
        host.StartServer();
        const int calls = 10, delayMs = 400;
        var urls = Enumerable.Range(0, calls).Select(i => endpoint.Slow(i, delayMs)).Append(endpoint.Status(500)).ToArray();
        var stopwatch = Stopwatch.StartNew();
        var id = host.Create(HttpAggregateJob.TypeName, new { urls, maxParallelism = calls });

        var succeeded = await host.WaitForStateAsync(id, SucceededState.StateName);

        var wall = stopwatch.Elapsed;
        var result = HangfireJobsHost.ResultOf(succeeded);
        var totalMs = result.GetProperty("totalMs").GetInt64();
        const int sequentialMs = calls * delayMs;
        output.WriteLine($"{calls} calls of {delayMs} ms: {totalMs} ms in the job ({wall.TotalMilliseconds:N0} ms enqueue → Succeeded) vs {sequentialMs} ms sequentially; " +
            $"{(double)sequentialMs / totalMs:N1}x faster; at most {endpoint.MaxInFlight} in flight");
        Assert.True(endpoint.MaxInFlight > 1, "the calls overlapped");
        Assert.True(endpoint.MaxInFlight <= calls);
        Assert.True(totalMs < sequentialMs * 0.75, $"{totalMs} ms is not clearly faster than {sequentialMs} ms sequentially");
        Assert.Equal(1, result.GetProperty("failed").GetInt32());
        var entries = result.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(urls, entries.Select(e => e.GetProperty("url").GetString()));
        Assert.All(entries.Take(calls).Select((entry, i) => (entry, i)), e =>
        {
            Assert.Equal(200, e.entry.GetProperty("status").GetInt32());
            Assert.Equal(e.i, e.entry.GetProperty("body").GetProperty("index").GetInt32());
        });
        Assert.Equal(500, entries[^1].GetProperty("status").GetInt32());
        Assert.StartsWith("HTTP 500", entries[^1].GetProperty("error").GetString());
    }

    [Fact]
    public async Task HttpAggregate_MaxParallelism_BoundsCallsInFlight()
    {
        await using var endpoint = await SlowEndpoint.StartAsync();
        using var host = new HangfireJobsHost(database);
        host.StartServer();
        var urls = Enumerable.Range(0, 9).Select(i => endpoint.Slow(i, 100)).ToArray();
        var id = host.Create(HttpAggregateJob.TypeName, new { urls, maxParallelism = 3 });

        await host.WaitForStateAsync(id, SucceededState.StateName);

        Assert.Equal(9, endpoint.Requests);
        Assert.InRange(endpoint.MaxInFlight, 1, 3);
    }

    [Fact]
    public async Task Report_TriggeredRecurringDefinition_CountsRowsPerProject()
    {
        await using (var connection = await new ApiDataDatabase(database.ConnectionString).OpenAsync())
        {
            await RawLoad.CommitChunkAsync(connection, 900_000_010, "report-a", 0, 1_000);
            await RawLoad.CommitChunkAsync(connection, 900_000_011, "report-b", 0, 2_000);
        }

        using var host = new HangfireJobsHost(database);
        host.StartServer();
        var recurring = new RecurringJobManager(host.Storage);
        DailyReportJob.AddOrUpdateDaily(recurring);
        var id = recurring.TriggerJob(DailyReportJob.RecurringJobId);

        var succeeded = await host.WaitForStateAsync(id, SucceededState.StateName);

        var projects = HangfireJobsHost.ResultOf(succeeded).GetProperty("projects").EnumerateArray()
            .ToDictionary(p => p.GetProperty("project").GetString()!, p => p.GetProperty("rows").GetInt64());
        Assert.Equal(1_000, projects["report-a"]);
        Assert.Equal(2_000, projects["report-b"]);
    }
}
