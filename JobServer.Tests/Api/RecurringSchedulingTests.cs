using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using JobServer.Tests.Infrastructure;

namespace JobServer.Tests.Api;

/// <summary>Issue 4 §1 over HTTP: recurring jobs fire from the host's own scheduler loop, on demand, and not while paused.</summary>
public sealed class RecurringSchedulingTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private const string EverySecond = "* * * * * *";

    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task Trigger_Definition_Returns202AndItsJobBecomesTheLastJob()
    {
        var id = RecurringApi.NewId("trigger");
        var defined = await Client.PutRecurringAsync(id, new { cron = "0 0 1 1 *", type = "sleep", args = new { ms = 1 } });

        using var response = await Client.PostAsync($"/api/recurring/{id}/trigger", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        var jobId = created.GetProperty("id").GetInt64();
        Assert.Equal("Enqueued", created.GetProperty("state").GetString());
        Assert.Equal($"/api/jobs/{jobId}", response.Headers.Location?.OriginalString);
        var job = await Client.UntilStateAsync(jobId, "Succeeded");
        Assert.Equal("sleep", job.GetProperty("type").GetString());
        Assert.Equal(1, job.GetProperty("args").GetProperty("ms").GetInt32());
        var definition = await Client.GetRecurringAsync(id);
        Assert.Equal(jobId, RecurringApi.LastJobId(definition));
        Assert.Equal("Succeeded", definition.GetProperty("lastJobState").GetString());
        ApiAssert.UtcTime(definition, "lastRunAt");
        Assert.Equal(defined.GetProperty("nextRunAt").GetString(), definition.GetProperty("nextRunAt").GetString());
        await Client.DeleteRecurringAsync(id);
    }

    [Fact]
    public async Task Trigger_WhileItsConcurrencyKeyIsHeld_Returns409NamingTheHolder()
    {
        var key = "trigger-" + Guid.NewGuid().ToString("N")[..8];
        var holder = await Client.CreateJobAsync(new { type = TestJobRegistration.KeyedReject, args = new { key, firstAttemptSleepMs = 600_000 } });
        await fixture.Log.StartedAsync(holder);
        var id = RecurringApi.NewId("keyed");
        await Client.PutRecurringAsync(id, new { cron = "0 0 1 1 *", type = TestJobRegistration.KeyedReject, args = new { key } });

        using var refused = await Client.PostAsync($"/api/recurring/{id}/trigger", null);

        var problem = await ApiAssert.ProblemAsync(refused, HttpStatusCode.Conflict);
        Assert.Equal([holder], problem.GetProperty("existingJobIds").EnumerateArray().Select(j => j.GetInt64()));
        Assert.Equal(0, fixture.RunCount(id));
        Assert.Null(RecurringApi.LastJobId(await Client.GetRecurringAsync(id)));
        await Client.DeleteJobAsync(holder);

        using var accepted = await Client.PostAsync($"/api/recurring/{id}/trigger", null);

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var jobId = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        await Client.UntilStateAsync(jobId, "Succeeded");
        await Client.DeleteRecurringAsync(id);
    }

    [Fact]
    public async Task Scheduler_PerSecondDefinition_CreatesAJobByItself()
    {
        var id = RecurringApi.NewId("fires");
        await Client.PutRecurringAsync(id, new { cron = EverySecond, type = "sleep", queue = "critical" });

        var definition = await Client.UntilRecurringAsync(id, d => RecurringApi.LastJobId(d) is not null, "to create a job");

        var job = await Client.GetJobAsync(RecurringApi.LastJobId(definition)!.Value);
        Assert.Equal("sleep", job.GetProperty("type").GetString());
        Assert.Equal("critical", job.GetProperty("queue").GetString());
        ApiAssert.UtcTime(definition, "lastRunAt");
        Assert.True(fixture.RunCount(id) >= 1);
        await Client.DeleteRecurringAsync(id);
    }

    [Fact]
    public async Task Pause_FiringDefinition_StopsItUntilResumed()
    {
        var id = RecurringApi.NewId("paused");
        await Client.PutRecurringAsync(id, new { cron = EverySecond, type = "sleep" });
        await Client.UntilRecurringAsync(id, d => RecurringApi.LastJobId(d) is not null, "to fire before the pause");

        var paused = await Client.SteerRecurringAsync(id, "pause");

        Assert.True(paused.GetProperty("paused").GetBoolean());
        Assert.Equal(JsonValueKind.Null, paused.GetProperty("nextRunAt").ValueKind);
        // The pause waited for any firing in progress (it updates the row the scheduler locks), so from here on the
        // count must stand still. A second per-second definition firing twice proves occurrences passed meanwhile.
        var runsWhilePaused = fixture.RunCount(id);
        var lastJobWhilePaused = RecurringApi.LastJobId(await Client.GetRecurringAsync(id));
        var witness = RecurringApi.NewId("witness");
        await Client.PutRecurringAsync(witness, new { cron = EverySecond, type = "sleep" });
        await ApiFactory.UntilAsync(() => Task.FromResult(fixture.RunCount(witness)), n => n >= 2, "the witness to fire twice");
        await Client.DeleteRecurringAsync(witness);
        Assert.Equal(runsWhilePaused, fixture.RunCount(id));
        var stillPaused = await Client.GetRecurringAsync(id);
        Assert.Equal(lastJobWhilePaused, RecurringApi.LastJobId(stillPaused));
        Assert.True(stillPaused.GetProperty("paused").GetBoolean());

        var resumed = await Client.SteerRecurringAsync(id, "resume");

        Assert.False(resumed.GetProperty("paused").GetBoolean());
        ApiAssert.UtcTime(resumed, "nextRunAt");
        await Client.UntilRecurringAsync(id, d => RecurringApi.LastJobId(d) != lastJobWhilePaused, "to fire again after resuming");
        Assert.True(fixture.RunCount(id) > runsWhilePaused);
        await Client.DeleteRecurringAsync(id);
    }
}
