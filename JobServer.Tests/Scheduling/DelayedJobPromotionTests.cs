using System.Diagnostics;
using Dapper;
using JobServer.Engine.States;
using JobServer.Storage;
using JobServer.Storage.MySql;
using JobServer.Tests.Infrastructure;
using Xunit.Abstractions;

namespace JobServer.Tests.Scheduling;

public sealed class DelayedJobPromotionTests(TestDatabase database, ITestOutputHelper output) : IClassFixture<TestDatabase>
{
    /// <summary>Test set-up only: up to 10,000 Scheduled jobs due now (a cross join of digits makes the rows), in two
    /// statements instead of 10,000 round trips.</summary>
    private void ScheduleManyDueNow(int count, string queue)
    {
        using var connection = database.Open();
        connection.Execute("""
            INSERT INTO js_job (type, queue, args, state, attempts, created_at)
            SELECT 'sleep', @queue, '{"ms":0}', 'Scheduled', 0, UTC_TIMESTAMP(6)
            FROM (SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4
                  UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) a,
                 (SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4
                  UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) b,
                 (SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4
                  UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) c,
                 (SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4
                  UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) e
            LIMIT @count;
            INSERT INTO js_schedule (job_id, queue, run_at)
            SELECT id, queue, UTC_TIMESTAMP(6) FROM js_job WHERE state = 'Scheduled' AND queue = @queue;
            """, new { count, queue });
    }

    [Fact]
    public void PromoteDue_TenThousandDue_PromotesInBoundedBatches()
    {
        database.Reset();
        ScheduleManyDueNow(10_000, "parked");
        var store = new MySqlScheduleStore(database.CreateDb());

        var batches = new List<int>();
        PromotionResult result;
        while ((result = store.PromoteDue(DateTime.UtcNow.AddSeconds(1), 1000, "s1")).Count > 0)
        {
            batches.Add(result.Count);
        }

        Assert.Equal(Enumerable.Repeat(1000, 10), batches);
        using var connection = database.Open();
        Assert.Equal(10_000, connection.ExecuteScalar<int>("SELECT COUNT(*) FROM js_queue WHERE queue = 'parked'"));
        Assert.Equal(0, connection.ExecuteScalar<int>("SELECT COUNT(*) FROM js_schedule"));
        Assert.Equal(10_000, connection.ExecuteScalar<int>("SELECT COUNT(*) FROM js_job_history WHERE state = 'Enqueued' AND reason = 'Scheduled time reached'"));
    }

    [Fact]
    public async Task Engine_TenThousandDueAtOnce_OtherWorkStillRunsAndAllArePromoted()
    {
        database.Reset();
        ScheduleManyDueNow(10_000, "parked");
        await using var engine = TestEngine.Create(database.ConnectionString);
        var stopwatch = Stopwatch.StartNew();
        await engine.StartAsync();

        var other = engine.Client.Enqueue("sleep", new JobServer.Jobs.Builtin.SleepArgs());
        await Eventually.UntilAsync(() => engine.Reader.GetJob(other)!.Summary.State == JobState.Succeeded, what: "the other job");
        var otherDone = stopwatch.ElapsedMilliseconds;
        await Eventually.UntilAsync(() => engine.Reader.GetStats().States[JobState.Enqueued] == 10_000, TimeSpan.FromSeconds(30), "all promoted");

        output.WriteLine($"other job succeeded after {otherDone} ms; 10,000 due jobs promoted after {stopwatch.ElapsedMilliseconds} ms");
        Assert.Equal(0, engine.Reader.GetStats().States[JobState.Scheduled]);
    }
}
