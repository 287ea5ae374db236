using Dapper;
using JobServer.Engine.Scheduling;
using JobServer.Engine.States;
using JobServer.Hosting;
using JobServer.Jobs.Builtin;
using JobServer.Jobs.Report;
using JobServer.Storage;
using JobServer.Tests.Infrastructure;

namespace JobServer.Tests.Scheduling;

/// <summary>Recurring jobs defined in code and configuration, and the shipped daily report, on real engines.</summary>
public sealed class RecurringDefinitionsTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Seeder_CodeAndConfigurationDefinitions_AreWrittenWithTheirArgs()
    {
        database.Reset();
        await using var engine = TestEngine.Create(
            database.ConnectionString,
            new Dictionary<string, string?>
            {
                ["Recurring:from-config:Cron"] = "30 2 * * *",
                ["Recurring:from-config:TimeZone"] = "Europe/Berlin",
                ["Recurring:from-config:Type"] = "sleep",
                ["Recurring:from-config:Args:ms"] = "25",
                ["Recurring:broken:Cron"] = "61 * * * *",
                ["Recurring:broken:Type"] = "sleep",
            },
            s => s.AddRecurringJob("from-code", "*/10 * * * * *", SleepJob.TypeName, new SleepArgs { Ms = 7 }));

        engine.Get<RecurringJobSeeder>().Apply();

        var manager = engine.Get<IRecurringJobManager>();
        var fromConfig = manager.Get("from-config")!.Info.Definition;
        Assert.Equal(("30 2 * * *", "Europe/Berlin", "sleep", """{"ms":25}"""), (fromConfig.Cron, fromConfig.TimeZone, fromConfig.Type, fromConfig.ArgsJson));
        var fromCode = manager.Get("from-code")!.Info.Definition;
        Assert.Equal(("*/10 * * * * *", "UTC", """{"ms":7}"""), (fromCode.Cron, fromCode.TimeZone, fromCode.ArgsJson));
        Assert.Null(manager.Get("broken"));
    }

    [Fact]
    public async Task ThreeRunningServers_PerSecondJob_OneJobPerOccurrence()
    {
        database.Reset();
        var engines = new List<TestEngine>();
        for (var i = 0; i < 3; i++)
        {
            engines.Add(await TestEngine.Create(database.ConnectionString + $";Maximum Pool Size={60 + i}").StartAsync());
        }

        try
        {
            engines[0].Get<IRecurringJobManager>().AddOrUpdate("live-tick", "* * * * * *", SleepJob.TypeName, new SleepArgs());
            using var connection = database.Open();
            var runs = await Eventually.UntilAsync(
                () => connection.Query<DateTime>("SELECT run_at FROM js_recurring_run WHERE recurring_id = 'live-tick' ORDER BY run_at").ToList(),
                r => r.Count >= 4,
                TimeSpan.FromSeconds(20),
                "four occurrences");

            Assert.All(runs.Zip(runs.Skip(1)), pair => Assert.Equal(TimeSpan.FromSeconds(1), pair.Second - pair.First));
            Assert.All(runs, r => Assert.Equal(0, r.Millisecond));
            var jobs = connection.ExecuteScalar<long>("SELECT COUNT(*) FROM js_job WHERE type = 'sleep'");
            var recorded = connection.ExecuteScalar<long>("SELECT COUNT(*) FROM js_recurring_run WHERE recurring_id = 'live-tick'");
            Assert.Equal(recorded, jobs);
        }
        finally
        {
            foreach (var engine in engines)
            {
                await engine.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task ReportJob_RowsOfTwoProjects_ResultCountsEach()
    {
        database.Reset();
        await using var engine = await TestEngine.Create(database.ConnectionString).StartAsync();
        var store = engine.Get<IApiDataStore>();
        foreach (var (project, rows) in new[] { ("alpha", 1_500), ("beta", 1_000) })
        {
            using var chunk = store.Prepare(new BulkChunk(JobId: 1, ChunkNo: project.Length, project, "nameJams", 1, rows));
            store.WriteChunk(chunk, DateTime.UtcNow);
        }

        var triggered = engine.Get<IRecurringJobManager>();
        triggered.AddOrUpdate("daily-report", "0 6 * * *", DailyReportJob.TypeName, null, new RecurringJobOptions { TimeZone = "Europe/Berlin" });
        var created = triggered.Trigger("daily-report")!;
        var job = await Eventually.UntilAsync(() => engine.Reader.GetJob(created.Id)!, j => j.Summary.State is JobState.Succeeded or JobState.Scheduled, what: "the report");
        Assert.True(job.Summary.State == JobState.Succeeded, job.History.LastOrDefault(h => h.ExceptionDetails is not null)?.ExceptionDetails);

        Assert.Contains("""{"project":"alpha","rows":1500}""", job.ResultJson);
        Assert.Contains("""{"project":"beta","rows":1000}""", job.ResultJson);
        Assert.Contains("\"totalRows\":2500", job.ResultJson);
        Assert.Equal(created.Id, triggered.Get("daily-report")!.Info.LastJobId);
    }
}
