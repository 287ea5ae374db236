using System.Diagnostics;
using Dapper;
using Hangfire;
using Hangfire.States;
using JobServer.Storage.MySql.Monitoring;
using JobServer.Storage.MySql.Tests.Infrastructure;

namespace JobServer.Storage.MySql.Tests.Monitoring;

/// <summary>
/// The dashboard's hot queries on a history of tens of thousands of jobs: the plans read ranges of indexes, never
/// the whole job table, and a deep page still returns the right jobs.
/// </summary>
public sealed class MySqlMonitoringQueryPlanTests : IClassFixture<MySqlTestDatabase>, IDisposable
{
    private const int History = 20_000;

    // Copies one real job's payload into 20,000 succeeded rows (cross joins of ten digits; MySQL 8 caps recursion).
    private const string SeedSql = """
        INSERT INTO hf_job (state_name, invocation_data, arguments, created_at)
        SELECT 'Succeeded', j.invocation_data, j.arguments, UTC_TIMESTAMP(6)
        FROM hf_job j
        CROSS JOIN (SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4
                    UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) a
        CROSS JOIN (SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4
                    UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) b
        CROSS JOIN (SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4
                    UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) c
        CROSS JOIN (SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4
                    UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) d
        CROSS JOIN (SELECT 0 d UNION ALL SELECT 1) e
        WHERE j.id = @template;
        ANALYZE TABLE hf_job
        """;

    private readonly MySqlTestDatabase _db;
    private readonly MySqlStorage _storage;

    public MySqlMonitoringQueryPlanTests(MySqlTestDatabase db)
    {
        _db = db;
        _storage = db.CreateStorage();
        db.Reset();
    }

    public void Dispose() => _storage.Dispose();

    private void SeedHistory()
    {
        var template = new BackgroundJobClient(_storage).Schedule(() => MonitoringJobs.Noop(), TimeSpan.FromDays(1));
        using var connection = _db.Open();
        connection.Execute(SeedSql, new { template = long.Parse(template) });
    }

    [Theory]
    [InlineData(StateListQueries.PageNewestFirstSql)]
    [InlineData(StateListQueries.PageOldestFirstSql)]
    [InlineData(StateListQueries.CountCappedSql)]
    public void StateListQuery_LargeHistory_ReadsIndexRangeNotTable(string sql)
    {
        SeedHistory();
        using var connection = _db.Open();

        var plan = connection.Query(
            "EXPLAIN " + sql, new { stateName = SucceededState.StateName, from = 15_000, count = 20, limit = 10_000 })
            .Select(row => (IDictionary<string, object?>)row)
            .ToList();

        var jobScans = plan.Where(row => Equals(row["table"], "hf_job")).ToList();
        Assert.NotEmpty(jobScans);
        Assert.All(jobScans, row => Assert.NotEqual("ALL", row["type"]));
        Assert.Contains(jobScans, row => Equals(row["key"], "ix_hf_job_state"));
    }

    [Fact]
    public void GetStatistics_LargeHistory_EveryStatementUsesAnIndex()
    {
        SeedHistory();
        using var connection = _db.Open();
        var statements = StatisticsQuery.Sql.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        var stateCounts = statements.Where(s => s.Contains("FROM hf_job\n", StringComparison.Ordinal) || s.Contains("FROM hf_job WHERE", StringComparison.Ordinal)).ToList();

        foreach (var statement in stateCounts)
        {
            var plan = connection.Query("EXPLAIN " + statement, new { enqueued = "Enqueued", failed = "Failed", processing = "Processing", scheduled = "Scheduled", awaiting = "Awaiting", failedLimit = 10_000 })
                .Select(row => (IDictionary<string, object?>)row)
                .Single(row => Equals(row["table"], "hf_job"));
            Assert.Equal("ix_hf_job_state", plan["key"]);
        }
        Assert.Equal(5, stateCounts.Count);
    }

    [Fact]
    public void SucceededJobs_DeepPageOfLargeHistory_ReturnsThatPageNewestFirst()
    {
        SeedHistory();
        var api = _storage.GetMonitoringApi();
        List<long> all;
        using (var connection = _db.Open())
            all = connection.Query<long>("SELECT id FROM hf_job WHERE state_name = 'Succeeded'").OrderByDescending(id => id).ToList();

        var watch = Stopwatch.StartNew();
        var page = api.SucceededJobs(History - 30, 20);
        var stats = api.GetStatistics();
        watch.Stop();

        Assert.Equal(History, all.Count);
        Assert.Equal(all.Skip(History - 30).Take(20), page.Select(j => long.Parse(j.Key)));
        Assert.All(page, j => Assert.Equal(nameof(MonitoringJobs.Noop), j.Value.Job.Method.Name));
        Assert.Equal(10_000, api.SucceededListCount());
        Assert.Equal(1, stats.Scheduled);
        // A generous bound: the point is the plan above; this only catches a query that regressed to a scan per row.
        Assert.True(watch.ElapsedMilliseconds < 5_000, $"deep page and statistics took {watch.ElapsedMilliseconds} ms");
    }
}
