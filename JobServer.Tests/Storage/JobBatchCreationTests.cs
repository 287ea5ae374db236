using Dapper;
using JobServer.Engine.States;
using JobServer.Jobs.Builtin;
using JobServer.Storage;
using JobServer.Storage.MySql;
using JobServer.Tests.Engine;
using JobServer.Tests.Infrastructure;

namespace JobServer.Tests.Storage;

public sealed class JobBatchCreationTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly DateTime Now = new(2030, 1, 1, 12, 0, 0, DateTimeKind.Utc);

    private MySqlJobWriter CreateSut() => new(database.CreateDb());

    [Fact]
    public void CreateMany_MixedBatch_EveryIdHoldsItsOwnJob()
    {
        database.Reset();
        var writer = CreateSut();
        var parent = writer.Create(new NewJob("sleep", "default", "{}", Now.AddDays(1)), Now).Id;
        var jobs = Enumerable.Range(0, 2500).Select(i => i switch
        {
            _ when i % 500 == 7 => new NewJob("keyed", "default", $$"""{"n":{{i}}}""", null, new ConcurrencyRequest($"keyed:{i}", 1, false)),
            _ when i % 500 == 9 => new NewJob("child", "default", $$"""{"n":{{i}}}""", null, null, new ContinuationRequest(parent, false)),
            _ when i % 3 == 0 => new NewJob("later", "q" + (i % 4), $$"""{"n":{{i}},"s":"{{new string('x', i % 50)}}"}""", Now.AddMinutes(i + 1)),
            _ => new NewJob("sleep", "q" + (i % 4), $$"""{"n":{{i}}}"""),
        }).ToList();

        var created = writer.CreateMany(jobs, Now);

        Assert.Equal(2500, created.Select(c => c.Id).Distinct().Count());
        using var connection = database.Open();
        var rows = connection.Query<(long Id, string Type, string Queue, string Args, string State)>("SELECT id, type, queue, args, state FROM js_job WHERE id <> @parent", new { parent })
            .ToDictionary(r => r.Id);
        Assert.Equal(2500, rows.Count);
        for (var i = 0; i < jobs.Count; i++)
        {
            var row = rows[created[i].Id];
            Assert.Equal((jobs[i].Type, jobs[i].Queue, jobs[i].ArgsJson), (row.Type, row.Queue, row.Args));
            var expected = jobs[i] switch
            {
                { After: not null } => JobState.Awaiting,
                { RunAt: not null } => JobState.Scheduled,
                _ => JobState.Enqueued,
            };
            Assert.Equal(expected, created[i].State);
            Assert.Equal(expected.ToString(), row.State);
        }

        Assert.Equal(2501, connection.ExecuteScalar<long>("SELECT COUNT(DISTINCT job_id) FROM js_job_history"));
        Assert.Equal(2501, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM js_job_history"));
        Assert.Equal(created.Count(c => c.State == JobState.Enqueued), connection.ExecuteScalar<long>("SELECT COUNT(*) FROM js_queue"));
        Assert.Equal(created.Count(c => c.State == JobState.Scheduled) + 1, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM js_schedule"));
        Assert.Equal(5, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM js_concurrency_lease"));
        var scheduled = jobs.FindIndex(j => j.RunAt is not null);
        Assert.Equal(jobs[scheduled].RunAt, connection.ExecuteScalar<DateTime>("SELECT run_at FROM js_schedule WHERE job_id = @id", new { id = created[scheduled].Id }));
    }

    [Fact]
    public void CreatePlain_OneCommandForEnqueuedAndScheduled_EveryIdHoldsItsOwnJob()
    {
        database.Reset();
        var writer = CreateSut();
        var jobs = Enumerable.Range(0, 100)
            .Select(i => new NewJob("sleep", "q" + (i % 3), $$"""{"n":{{i}},"s":"{{new string('é', i)}}"}""", i % 4 == 0 ? Now.AddMinutes(i + 1) : null))
            .ToList();

        var created = writer.CreatePlain(jobs, Now);

        using var connection = database.Open();
        for (var i = 0; i < jobs.Count; i++)
        {
            var expected = jobs[i].RunAt is null ? JobState.Enqueued : JobState.Scheduled;
            var row = connection.QuerySingle<(string Queue, string Args, string State)>("SELECT queue, args, state FROM js_job WHERE id = @id", new { id = created[i].Id });
            Assert.Equal((jobs[i].Queue, jobs[i].ArgsJson, expected.ToString()), row);
            Assert.Equal(expected, created[i].State);
            Assert.Equal(expected == JobState.Enqueued ? 1 : 0, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM js_queue WHERE job_id = @id", new { id = created[i].Id }));
            Assert.Equal(jobs[i].RunAt, connection.ExecuteScalar<DateTime?>("SELECT run_at FROM js_schedule WHERE job_id = @id", new { id = created[i].Id }));
        }

        Assert.Equal(100, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM js_job"));
        Assert.Equal(100, connection.ExecuteScalar<long>("SELECT COUNT(DISTINCT job_id) FROM js_job_history"));
        Assert.Equal(100, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM js_job_history"));
        Assert.Equal(
            JobCreation.ScheduledReason(jobs[0]),
            connection.ExecuteScalar<string>("SELECT reason FROM js_job_history WHERE job_id = @id", new { id = created[0].Id }));
    }

    [Fact]
    public async Task ConcurrentClients_EachCreateReturnsItsOwnJob()
    {
        database.Reset();
        await using var engine = TestEngine.Create(database.ConnectionString); // not started: jobs stay Enqueued

        var created = await Task.WhenAll(Enumerable.Range(0, 16).Select(client => PlainJobGroupCommitTests.OnOwnThread(() =>
            Enumerable.Range(0, 50).Select(n => (Args: $$"""{"ms":{{client * 1000 + n}}}""", Id: engine.Client.Enqueue("sleep", new SleepArgs { Ms = client * 1000 + n }))).ToList())));

        using var connection = database.Open();
        var stored = connection.Query<(long Id, string Args)>("SELECT id, args FROM js_job").ToDictionary(r => r.Id, r => r.Args);
        Assert.Equal(800, stored.Count);
        foreach (var (args, id) in created.SelectMany(c => c))
        {
            Assert.Equal(args, stored[id]);
        }

        Assert.Equal(800, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM js_queue"));
        Assert.Equal(800, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM js_job_history"));
    }

    [Fact]
    public void CreateMany_KeyTakenTwice_ThrowsNamingTheItemAndWritesNothing()
    {
        database.Reset();
        var key = new ConcurrencyRequest("keyed:same", 1, false);
        var jobs = new List<NewJob> { new("sleep", "default", "{}"), new("keyed", "default", "{}", null, key), new("sleep", "default", "{}"), new("keyed", "default", "{}", null, key) };

        var refused = Assert.Throws<JobBatchItemException>(() => CreateSut().CreateMany(jobs, Now));

        Assert.Equal(3, refused.Index);
        Assert.IsType<ConcurrencyLimitReachedException>(refused.InnerException);
        using var connection = database.Open();
        Assert.Equal(0, connection.ExecuteScalar<long>(
            "SELECT (SELECT COUNT(*) FROM js_job) + (SELECT COUNT(*) FROM js_job_history) + (SELECT COUNT(*) FROM js_queue) + (SELECT COUNT(*) FROM js_concurrency_lease)"));
    }
}
