using Dapper;
using JobServer.Engine.States;
using JobServer.Tests.Infrastructure;

namespace JobServer.Tests.Engine;

/// <summary>Several engines, each with its own connection pool, on one database.</summary>
public sealed class MultiServerTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    // MySql.Data pools by connection string: a different pool size gives an engine a pool of its own.
    private string PoolOf(int engine) => database.ConnectionString + $";Maximum Pool Size={40 + engine}";

    [Fact]
    public async Task TwoEngines_TwoThousandJobs_EachExecutedExactlyOnce()
    {
        database.Reset();
        var log = new ExecutionLog();
        await using var first = await TestEngine.Create(PoolOf(1), configure: s => s.AddTestJobs(log)).StartAsync();
        await using var second = await TestEngine.Create(PoolOf(2), configure: s => s.AddTestJobs(log)).StartAsync();

        var ids = new List<long>();
        for (var i = 0; i < 2000; i++)
        {
            ids.Add((i % 2 == 0 ? first : second).Client.Enqueue(TestJobRegistration.Record));
        }

        await Eventually.UntilAsync(() => first.Reader.GetStats().States[JobState.Succeeded], n => n == 2000, TimeSpan.FromSeconds(60), "2,000 jobs to succeed");

        Assert.All(ids, id => Assert.Equal(1, log.RunsOf(id)));
        using var connection = database.Open();
        var processingRows = connection.Query<(string ServerId, long Count)>(
            "SELECT server_id, COUNT(*) FROM js_job_history WHERE state = 'Processing' GROUP BY server_id").ToList();
        Assert.Equal(2000, processingRows.Sum(r => r.Count));
        Assert.Equal(2, processingRows.Count);
        Assert.Equal(2000, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM js_job WHERE state = 'Succeeded' AND attempts = 1"));
    }

    [Fact]
    public async Task EngineStopsHeartbeating_ItsClaimedJobIsRecoveredByTheOther()
    {
        database.Reset();
        var log = new ExecutionLog();
        var doomed = await TestEngine.Create(PoolOf(3), configure: s => s.AddTestJobs(log)).StartAsync();
        var id = doomed.Client.Enqueue(TestJobRegistration.Block, new BlockArgs { BlockOnAttempt = 1 });
        await log.StartedAsync(id);
        var deadServer = doomed.ServerId;

        await doomed.Engine.SimulateCrashAsync();
        await using var survivor = await TestEngine.Create(PoolOf(4), configure: s => s.AddTestJobs(log)).StartAsync();

        var job = await Eventually.UntilAsync(() => survivor.Reader.GetJob(id)!, j => j.Summary.State == JobState.Succeeded, TimeSpan.FromSeconds(20), "recovered job to succeed");
        Assert.Equal(2, job.Summary.Attempts);
        var requeue = job.History.Single(h => h.Reason?.Contains("stopped heartbeating") == true);
        Assert.Contains(deadServer, requeue.Reason);
        Assert.Equal(survivor.ServerId, requeue.ServerId);
        Assert.Equal(survivor.ServerId, job.History.Last(h => h.State == JobState.Processing).ServerId);
        Assert.DoesNotContain(survivor.Reader.GetServers(), s => s.Id == deadServer);
        await doomed.DisposeAsync();
    }
}
