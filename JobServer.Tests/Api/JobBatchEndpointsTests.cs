using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using JobServer.Tests.Infrastructure;

namespace JobServer.Tests.Api;

/// <summary>Issue 6 §2: <c>POST /api/jobs/batch</c> creates up to 10,000 jobs all-or-nothing.</summary>
public sealed class JobBatchEndpointsTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private const string FarFuture = "2035-01-01T00:00:00Z";

    [Fact]
    public async Task CreateBatch_ThousandSleepJobs_AllStoredInOrderAndAllSucceed()
    {
        var (ids, states) = await CreateBatchAsync(Enumerable.Range(0, 1000).Select(i => new { type = "sleep", args = new { ms = 0 } }));

        Assert.Equal(1000, ids.Count);
        Assert.Equal(1000, ids.Distinct().Count());
        Assert.All(states, s => Assert.Equal("Enqueued", s));
        using var connection = fixture.Database.Open();
        Assert.Equal(1000, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM js_job WHERE id IN @ids AND type = 'sleep'", new { ids }));
        Assert.Equal(1000, connection.ExecuteScalar<long>("SELECT COUNT(DISTINCT job_id) FROM js_job_history WHERE job_id IN @ids AND state = 'Enqueued'", new { ids }));
        await Eventually.UntilAsync(
            () => connection.ExecuteScalar<long>("SELECT COUNT(*) FROM js_job WHERE id IN @ids AND state = 'Succeeded'", new { ids }) == 1000,
            TimeSpan.FromSeconds(60),
            "all 1,000 batch jobs to succeed");
        Assert.Equal(0, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM js_queue WHERE job_id IN @ids", new { ids }));
    }

    [Fact]
    public async Task CreateBatch_ThousandJobs_QueueRowForEveryJob()
    {
        // A queue that no worker serves, so the queue rows are still there to count.
        var (ids, _) = await CreateBatchAsync(Enumerable.Range(0, 1000).Select(i => new { type = "sleep", queue = "batch-idle", args = new { ms = i } }));

        using var connection = fixture.Database.Open();
        Assert.Equal(1000, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM js_queue WHERE job_id IN @ids AND queue = 'batch-idle'", new { ids }));
        var args = connection.Query<(long Id, string Args)>("SELECT id, args FROM js_job WHERE id IN @ids", new { ids }).ToDictionary(r => r.Id, r => r.Args);
        for (var i = 0; i < ids.Count; i++)
        {
            Assert.Equal(i, JsonDocument.Parse(args[ids[i]]).RootElement.GetProperty("ms").GetInt32());
        }
    }

    [Fact]
    public async Task CreateBatch_DelayRunAtAndAfter_ScheduledAndAwaiting()
    {
        var parent = await fixture.Client.CreateJobAsync(new { type = "sleep", runAt = FarFuture }, "Scheduled");

        var (ids, states) = await CreateBatchAsync(new object[]
        {
            new { type = "sleep", delay = "01:00:00" },
            new { type = "sleep", runAt = FarFuture },
            new { type = "sleep", queue = "batch-idle" },
            new { type = "sleep", after = parent },
        });

        Assert.Equal(["Scheduled", "Scheduled", "Enqueued", "Awaiting"], states);
        using var connection = fixture.Database.Open();
        Assert.Equal(2, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM js_schedule WHERE job_id IN @ids", new { ids = ids[..2] }));
        var reason = connection.ExecuteScalar<string>("SELECT reason FROM js_job_history WHERE job_id = @id", new { id = ids[1] });
        Assert.Equal("Scheduled to run at 2035-01-01T00:00:00.0000000Z", reason);
        Assert.Equal("Awaiting", (await fixture.Client.GetJobAsync(ids[3])).GetProperty("state").GetString());
    }

    [Fact]
    public async Task CreateBatch_OneInvalidItem_Returns400NamingItAndWritesNothing()
    {
        var jobs = Enumerable.Range(0, 1000).Select(i => (object)new { type = "sleep", args = new { ms = i == 517 ? -1 : 0 } });

        await AssertRefusedAsync(Body(new { jobs }), HttpStatusCode.BadRequest, "jobs[517].args.ms");
    }

    [Theory]
    [InlineData("""{"jobs": [{"type": "sleep"}, {"type": "sleep", "colour": "red"}]}""", "jobs[1].colour")]
    [InlineData("""{"jobs": [{"type": "sleep"}, 42]}""", "jobs[1]")]
    [InlineData("""{"jobs": [{"type": "sleep"}, {"type": "nope"}]}""", "jobs[1].type")]
    [InlineData("""{"jobs": [{"type": "sleep", "delay": "x"}]}""", "jobs[0].delay")]
    [InlineData("""{"jobs": []}""", "jobs")]
    [InlineData("""{"jobs": {"type": "sleep"}}""", "jobs")]
    [InlineData("""{}""", "jobs")]
    [InlineData("""{"jobs": [{"type": "sleep"}], "extra": 1}""", "extra")]
    [InlineData("""[{"type": "sleep"}]""", "body")]
    public async Task CreateBatch_BadShape_Returns400NamingField(string body, string field) =>
        await AssertRefusedAsync(Json(body), HttpStatusCode.BadRequest, field);

    [Fact]
    public async Task CreateBatch_MoreThan10000Items_Returns400NamingJobs() =>
        await AssertRefusedAsync(Body(new { jobs = Enumerable.Range(0, 10_001).Select(_ => new { type = "sleep" }) }), HttpStatusCode.BadRequest, "jobs");

    [Fact]
    public async Task CreateBatch_BodyOverLimit_Returns413()
    {
        var padding = new string(' ', 16 * 1024 * 1024);
        await AssertRefusedAsync(Json($$"""{"jobs": [{"type": "sleep"}]{{padding}}}"""), HttpStatusCode.RequestEntityTooLarge, null);
    }

    [Fact]
    public async Task CreateBatch_ConcurrencyKeyTakenTwice_Returns409AndWritesNothing()
    {
        var key = "batch-" + Guid.NewGuid().ToString("N")[..8];
        var jobs = new object[]
        {
            new { type = "sleep", queue = "batch-idle" },
            new { type = TestJobRegistration.KeyedReject, queue = "batch-idle", args = new { key } },
            new { type = "sleep", queue = "batch-idle" },
            new { type = TestJobRegistration.KeyedReject, queue = "batch-idle", args = new { key } },
        };

        var problem = await AssertRefusedAsync(Body(new { jobs }), HttpStatusCode.Conflict, null);

        Assert.Equal(3, problem.GetProperty("index").GetInt32());
        Assert.StartsWith("jobs[3]:", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task CreateBatch_AfterMissingParent_Returns400NamingItemsAfter() =>
        await AssertRefusedAsync(Body(new { jobs = new object[] { new { type = "sleep" }, new { type = "sleep", after = long.MaxValue } } }), HttpStatusCode.BadRequest, "jobs[1].after");

    private async Task<(List<long> Ids, List<string> States)> CreateBatchAsync(IEnumerable<object> jobs)
    {
        using var response = await fixture.Client.PostAsync("/api/jobs/batch", Body(new { jobs }));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Null(response.Headers.Location);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("ids").EnumerateArray().Select(e => e.GetInt64()).ToList(),
                body.GetProperty("states").EnumerateArray().Select(e => e.GetString()!).ToList());
    }

    /// <summary>The answer is the problem (naming <paramref name="field"/> when given) and no row was written for any new job.</summary>
    private async Task<JsonElement> AssertRefusedAsync(HttpContent content, HttpStatusCode status, string? field)
    {
        // Jobs created earlier in this class may still be running, so count only rows of jobs newer than now.
        var before = NewRows(out var maxId);
        using var response = await fixture.Client.PostAsync("/api/jobs/batch", content);

        var problem = await ApiAssert.ProblemAsync(response, status);
        if (field is not null)
        {
            ApiAssert.NamesField(problem, field);
        }

        Assert.Equal(before, NewRows(maxId));
        return problem;
    }

    private long NewRows(out long maxId)
    {
        using var connection = fixture.Database.Open();
        maxId = connection.ExecuteScalar<long?>("SELECT MAX(id) FROM js_job") ?? 0;
        return NewRows(maxId);
    }

    private long NewRows(long maxId)
    {
        using var connection = fixture.Database.Open();
        return connection.ExecuteScalar<long>(
            """
            SELECT (SELECT COUNT(*) FROM js_job WHERE id > @maxId) + (SELECT COUNT(*) FROM js_job_history WHERE job_id > @maxId)
                 + (SELECT COUNT(*) FROM js_queue WHERE job_id > @maxId) + (SELECT COUNT(*) FROM js_schedule WHERE job_id > @maxId)
                 + (SELECT COUNT(*) FROM js_concurrency_lease WHERE job_id > @maxId)
            """,
            new { maxId });
    }

    private static StringContent Body(object value) => Json(JsonSerializer.Serialize(value));

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
