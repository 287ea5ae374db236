using System.Diagnostics;
using Hangfire;
using JobServer.Storage.MySql.Tests.Infrastructure;
using Xunit.Abstractions;

namespace JobServer.Storage.MySql.Tests.EndToEnd;

public sealed class ThroughputTests(MySqlTestDatabase db, ITestOutputHelper output) : IClassFixture<MySqlTestDatabase>
{
    private const int Jobs = 5_000;

    [Fact]
    public async Task Enqueue_FiveThousandJobsOnTwoServers_EachSucceededAndPerformedOnce()
    {
        using var first = EndToEndSetup.Prepare(db);
        using var second = db.CreateStorage();
        var tables = new HangfireTables(db, first);
        var run = Guid.NewGuid().ToString("N");
        using var serverA = TestServers.Start(first, workers: 10);
        using var serverB = TestServers.Start(second, workers: 10);
        var client = new BackgroundJobClient(first);

        var total = Stopwatch.StartNew();
        var ids = new string[Jobs];
        await Parallel.ForAsync(0, Jobs, new ParallelOptions { MaxDegreeOfParallelism = 8 }, (i, _) =>
        {
            ids[i] = client.Enqueue(() => ThroughputJobs.Noop(run, null!));
            return ValueTask.CompletedTask;
        });
        var enqueued = total.Elapsed;
        await Eventually.Until(() => tables.CountInState("Succeeded"), n => n == Jobs, TimeSpan.FromSeconds(60), $"{Jobs} jobs Succeeded", TimeSpan.FromMilliseconds(250));
        var done = total.Elapsed;
        output.WriteLine($"{Jobs} jobs: enqueued in {enqueued.TotalSeconds:0.00} s, all Succeeded after {done.TotalSeconds:0.00} s ({Jobs / done.TotalSeconds:0} jobs/s end to end).");

        var executions = ThroughputJobs.ExecutionsOf(run);
        Assert.Equal(ids.Order(), executions.Keys.Order());
        Assert.All(executions, e => Assert.Equal(1, e.Value));
        var claims = FetchAudit.ClaimsPerJob(db);
        Assert.Equal(Jobs, claims.Count);
        Assert.All(claims, c => Assert.Equal(1, c.Value));
        Assert.Empty(tables.Query<long>("SELECT job_id FROM hf_state WHERE name = 'Processing' GROUP BY job_id HAVING COUNT(*) > 1"));
        Assert.Equal(0, tables.Query<int>("SELECT COUNT(*) FROM hf_job_queue").Single());
        Assert.Equal(2, tables.Query<string>("SELECT DISTINCT fetched_by FROM e2e_fetch").Count);
    }
}
