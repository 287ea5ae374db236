using JobServer.Tests.Api;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hangfire;
using Hangfire.States;
using JobServer.Recurring;
using JobServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace JobServer.Tests.Recurring;

/// <summary><c>/api/recurring</c> on a real host: define, read, delete, trigger, pause and resume, as Hangfire's
/// scheduler then sees them.</summary>
public sealed class RecurringEndpointsTests(ApiFixture host, ITestOutputHelper output) : IClassFixture<ApiFixture>
{
    private HttpClient Client => host.Client;

    [Fact]
    public async Task Put_New_Is201_Again_Is200_AndGetShowsTheDefinitionAndNextFiveOccurrences()
    {
        var id = RecurringTestKit.NewId("put");
        using (var response = await Client.PutAsync(RecurringTestKit.Path(id), RecurringTestKit.Json(new { cron = "0 6 * * *", timeZone = "Europe/Berlin", type = "report" })))
        {
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            Assert.Equal(RecurringTestKit.Path(id), response.Headers.Location?.OriginalString);
        }

        var view = await Client.GetRecurringAsync(id);
        Assert.Equal(id, view.GetProperty("id").GetString());
        Assert.Equal("0 6 * * *", view.GetProperty("cron").GetString());
        Assert.Equal("Europe/Berlin", view.GetProperty("timeZone").GetString());
        Assert.Equal("report", view.GetProperty("type").GetString());
        Assert.Equal("relaxed", view.GetProperty("misfire").GetString());
        Assert.Equal(JsonValueKind.Null, view.GetProperty("lastJobId").ValueKind);
        var next = RecurringTestKit.UtcTimes(view.GetProperty("nextOccurrences"));
        Assert.Equal(5, next.Count);
        Assert.True(next[0] > DateTime.UtcNow);
        Assert.Equal(next.Order(), next);
        // 06:00 in Berlin is 05:00 UTC in winter and 04:00 in summer.
        Assert.All(next, t => Assert.True(t.Minute == 0 && t.Hour is 4 or 5, $"{t:O}"));
        Assert.Equal(next[0], RecurringTestKit.UtcTimes(JsonSerializer.SerializeToElement(new[] { view.GetProperty("nextExecution") }))[0]);

        var updated = await Client.PutRecurringAsync(id, new { cron = "30 6 * * *", timeZone = "Europe/Berlin", type = "report" }, HttpStatusCode.OK);
        Assert.Equal("30 6 * * *", updated.GetProperty("cron").GetString());

        var all = await Client.GetFromJsonAsync<JsonElement>("/api/recurring");
        Assert.Contains(all.EnumerateArray(), v => v.GetProperty("id").GetString() == id && v.GetProperty("cron").GetString() == "30 6 * * *");
    }

    [Fact]
    public async Task Put_ArgsQueueAndMisfire_RoundTrip_DefaultZoneIsUtc()
    {
        var id = RecurringTestKit.NewId("opts");
        var view = await Client.PutRecurringAsync(id, new { cron = "*/10 * * * * *", type = "sleep", args = new { ms = 5 }, queue = "critical", misfire = "strict" });

        Assert.Equal(5, view.GetProperty("args").GetProperty("ms").GetInt32());
        Assert.Equal("critical", view.GetProperty("queue").GetString());
        Assert.Equal("strict", view.GetProperty("misfire").GetString());
        Assert.Equal("UTC", view.GetProperty("timeZone").GetString());
        // Six fields: seconds first, as Hangfire reads them.
        var next = RecurringTestKit.UtcTimes(view.GetProperty("nextOccurrences"));
        Assert.All(next.Zip(next.Skip(1)), pair => Assert.Equal(TimeSpan.FromSeconds(10), pair.Second - pair.First));
        await Client.DeleteAsync(RecurringTestKit.Path(id));
    }

    [Fact]
    public async Task Delete_Is204_ThenTheJobIsGone()
    {
        var id = RecurringTestKit.NewId("del");
        await Client.PutRecurringAsync(id, new { cron = "0 6 * * *", type = "report" });

        using (var deleted = await Client.DeleteAsync(RecurringTestKit.Path(id)))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        using var get = await Client.GetAsync(RecurringTestKit.Path(id));
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        using var again = await Client.DeleteAsync(RecurringTestKit.Path(id));
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.DoesNotContain((await Client.GetFromJsonAsync<JsonElement>("/api/recurring")).EnumerateArray(), v => v.GetProperty("id").GetString() == id);
    }

    [Theory]
    [InlineData("GET", "")]
    [InlineData("DELETE", "")]
    [InlineData("POST", "/trigger")]
    [InlineData("POST", "/pause")]
    [InlineData("POST", "/resume")]
    public async Task UnknownId_Is404(string method, string action)
    {
        using var response = await Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), "/api/recurring/no-such-job" + action));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Trigger_Is202_WithTheJobsLocation_AndTheJobRuns()
    {
        var id = RecurringTestKit.NewId("trig");
        await Client.PutRecurringAsync(id, new { cron = Cron.Never(), type = "sleep", args = new { ms = 1 } });

        using var response = await Client.PostAsync(RecurringTestKit.Path(id, "trigger"), null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var jobId = body.GetProperty("jobId").GetInt64();
        Assert.Equal($"/api/jobs/{jobId}", response.Headers.Location?.OriginalString);
        await Eventually.UntilAsync(() => host.Factory.Storage.GetConnection().GetStateData(jobId.ToString())?.Name, s => s == SucceededState.StateName,
            TimeSpan.FromSeconds(30), $"triggered job {jobId} to succeed");
        var view = await Client.GetRecurringAsync(id);
        Assert.Equal(jobId, RecurringTestKit.LastJobId(view));
        Assert.Equal(SucceededState.StateName, view.GetProperty("lastJobState").GetString());
        Assert.NotEqual(JsonValueKind.Null, view.GetProperty("lastExecution").ValueKind);
    }

    [Fact]
    public async Task Pause_StopsTheSchedule_Resume_StartsItAgain()
    {
        var id = RecurringTestKit.NewId("pause");
        await Client.PutRecurringAsync(id, new { cron = "* * * * * *", type = "sleep", args = new { ms = 1 } });
        await Eventually.UntilAsync(() => RecurringTestKit.JobsOf(host.Database, id).Count, n => n > 0, TimeSpan.FromSeconds(30), "the first occurrence");

        var paused = await Client.PostRecurringAsync(id, "pause");
        var firedBeforePause = RecurringTestKit.JobsOf(host.Database, id).Count;

        Assert.True(paused.GetProperty("paused").GetBoolean());
        Assert.Equal("* * * * * *", paused.GetProperty("cron").GetString());
        Assert.Equal(JsonValueKind.Null, paused.GetProperty("nextExecution").ValueKind);
        Assert.Equal(0, paused.GetProperty("nextOccurrences").GetArrayLength());
        // What Hangfire's scheduler reads: a cron that never fires.
        using (var connection = host.Factory.Storage.GetConnection())
        {
            var hash = connection.GetAllEntriesFromHash($"recurring-job:{id}");
            Assert.Equal(Cron.Never(), hash["Cron"]);
            Assert.Equal("* * * * * *", hash[RecurringPause.PausedCronField]);
        }

        // A negative can only be observed over time: 2.5 s is two and a half occurrences and a dozen scheduler passes.
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        Assert.Equal(firedBeforePause, RecurringTestKit.JobsOf(host.Database, id).Count);
        Assert.True((await Client.PostRecurringAsync(id, "pause")).GetProperty("paused").GetBoolean());

        var resumed = await Client.PostRecurringAsync(id, "resume");
        Assert.False(resumed.GetProperty("paused").GetBoolean());
        Assert.Equal("* * * * * *", resumed.GetProperty("cron").GetString());
        Assert.Equal(5, resumed.GetProperty("nextOccurrences").GetArrayLength());
        await Eventually.UntilAsync(() => RecurringTestKit.JobsOf(host.Database, id).Count, n => n > firedBeforePause, TimeSpan.FromSeconds(30), "an occurrence after resume");
        Assert.False((await Client.PostRecurringAsync(id, "resume")).GetProperty("paused").GetBoolean());
        await Client.DeleteAsync(RecurringTestKit.Path(id));
    }

    [Fact]
    public async Task PutWhilePaused_StaysPaused_AndResumesOnTheNewCron_TriggerStillWorks()
    {
        var id = RecurringTestKit.NewId("repause");
        await Client.PutRecurringAsync(id, new { cron = "0 6 * * *", type = "sleep", args = new { ms = 1 } });
        await Client.PostRecurringAsync(id, "pause");

        var updated = await Client.PutRecurringAsync(id, new { cron = "0 7 * * *", type = "sleep", args = new { ms = 2 } }, HttpStatusCode.OK);
        Assert.True(updated.GetProperty("paused").GetBoolean());
        Assert.Equal("0 7 * * *", updated.GetProperty("cron").GetString());
        Assert.Equal(2, updated.GetProperty("args").GetProperty("ms").GetInt32());

        var triggered = await Client.PostRecurringAsync(id, "trigger", HttpStatusCode.Accepted);
        Assert.True(triggered.GetProperty("jobId").GetInt64() > 0);
        Assert.True((await Client.GetRecurringAsync(id)).GetProperty("paused").GetBoolean());

        var resumed = await Client.PostRecurringAsync(id, "resume");
        Assert.Equal("0 7 * * *", resumed.GetProperty("cron").GetString());
        Assert.All(RecurringTestKit.UtcTimes(resumed.GetProperty("nextOccurrences")), t => Assert.Equal(7, t.Hour));
    }

    [Fact]
    public async Task ResumeStrict_DoesNotMakeUpTheOccurrencesOfThePause()
    {
        var id = RecurringTestKit.NewId("strict");
        await Client.PutRecurringAsync(id, new { cron = "* * * * * *", type = "sleep", args = new { ms = 1 }, misfire = "strict" });
        await Eventually.UntilAsync(() => RecurringTestKit.JobsOf(host.Database, id).Count, n => n > 0, TimeSpan.FromSeconds(30), "the first occurrence");
        await Client.PostRecurringAsync(id, "pause");
        var beforePause = RecurringTestKit.JobsOf(host.Database, id).Count;
        await Task.Delay(TimeSpan.FromSeconds(3)); // three occurrences fall in the pause

        var resumedAt = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await Client.PostRecurringAsync(id, "resume");
        var after = await Eventually.UntilAsync(() => RecurringTestKit.JobsOf(host.Database, id).Skip(beforePause).ToList(), jobs => jobs.Count >= 2,
            TimeSpan.FromSeconds(30), "two occurrences after resume");
        await Client.DeleteAsync(RecurringTestKit.Path(id));

        output.WriteLine($"resumed at {resumedAt}; occurrences after: {string.Join(", ", after.Select(j => j.Time))}");
        Assert.All(after, job => Assert.True(job.Time >= resumedAt - 1, $"occurrence {job.Time} is from the pause (resumed at {resumedAt})"));
        Assert.Equal(after.Count, after.Select(j => j.Time).Distinct().Count());
    }

    [Fact]
    public async Task CodeDefinedJob_OfARegisteredMethod_IsShownWithItsType_AndHelperRefusesBadArgs()
    {
        var manager = host.Factory.Services.GetRequiredService<IRecurringJobManager>();
        var id = RecurringTestKit.NewId("code");
        manager.AddOrUpdate<JobServer.Jobs.DailyReportJob>(id, j => j.Run(new JobServer.Jobs.ReportArguments(), CancellationToken.None), Cron.Daily());

        var view = await Client.GetRecurringAsync(id);
        Assert.Equal("report", view.GetProperty("type").GetString());
        Assert.Equal(Cron.Daily(), view.GetProperty("cron").GetString());

        // Hangfire's static RecurringJob API is this manager on JobStorage.Current.
        var helperId = RecurringTestKit.NewId("helper");
        new RecurringJobManager(host.Factory.Storage).AddOrUpdateRegistered(helperId, "sleep", JsonSerializer.SerializeToElement(new { ms = 3 }), Cron.Hourly());
        var helper = await Client.GetRecurringAsync(helperId);
        Assert.Equal("sleep", helper.GetProperty("type").GetString());
        Assert.Equal(3, helper.GetProperty("args").GetProperty("ms").GetInt32());

        var refused = Assert.Throws<JobServer.Jobs.InvalidJobArgumentsException>(() =>
            manager.AddOrUpdateRegistered(RecurringTestKit.NewId("bad"), "sleep", JsonSerializer.SerializeToElement(new { ms = -1 }), "61 * * * *"));
        Assert.Equal(["args.ms", "cron"], refused.Errors.Select(e => e.Field).Order(StringComparer.Ordinal));
    }
}
