using System.Net;
using JobServer.Engine.Client;
using JobServer.Engine.Scheduling;
using JobServer.Tests.Api;
using JobServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace JobServer.Tests.Dashboard;

/// <summary>
/// The actions through their real forms: GET the page, take the antiforgery token from it (its cookie stays in the
/// client), POST, follow the 303 back and read the flash message; then check what happened to the jobs.
/// </summary>
public sealed class DashboardActionsTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private HttpClient Client => fixture.Client;

    private IJobClient Jobs => fixture.Factory.Services.GetRequiredService<IJobClient>();

    private static string IdleQueue() => "act-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task DeleteSelected_ScheduledJobs_DeletesThemAndSaysSo()
    {
        var queue = IdleQueue();
        var ids = Enumerable.Range(0, 3).Select(_ => Jobs.Schedule("sleep", null, TimeSpan.FromHours(1), queue)).ToList();
        var list = $"/dashboard/jobs/scheduled?queue={queue}";

        var page = await Client.ActAsync(list, "/dashboard/jobs/delete", [.. ids.Select(id => ("ids", $"{id}"))]);

        Assert.Equal("Deleted 3 jobs.", DashboardPages.Flash(page));
        Assert.Empty(DashboardPages.JobRowIds(page));
        foreach (var id in ids)
        {
            Assert.Equal("Deleted", (await Client.GetJobAsync(id)).GetProperty("state").GetString());
        }
    }

    [Fact]
    public async Task RequeueSelected_DeletedJobs_RunAgainToSuccess()
    {
        var ids = Enumerable.Range(0, 2).Select(_ => Jobs.Schedule("sleep", null, TimeSpan.FromHours(1))).ToList();
        ids.ForEach(id => Jobs.Delete(id));

        var page = await Client.ActAsync("/dashboard/jobs/deleted?type=sleep", "/dashboard/jobs/requeue", [.. ids.Select(id => ("ids", $"{id}"))]);

        Assert.Equal("Requeued 2 jobs.", DashboardPages.Flash(page));
        foreach (var id in ids)
        {
            await Client.UntilStateAsync(id, "Succeeded");
        }
    }

    [Fact]
    public async Task RequeueSelected_FailedJobs_RunWithAFreshSetOfAttempts()
    {
        var ids = Enumerable.Range(0, 2).Select(_ => Jobs.Enqueue(TestJobRegistration.Fail)).ToList();
        foreach (var id in ids)
        {
            await Client.UntilStateAsync(id, "Failed");
            Assert.Equal(2, fixture.Log.RunsOf(id));
        }

        var page = await Client.ActAsync("/dashboard/jobs/failed", "/dashboard/jobs/requeue", [.. ids.Select(id => ("ids", $"{id}"))]);

        Assert.Equal("Requeued 2 jobs.", DashboardPages.Flash(page));
        foreach (var id in ids)
        {
            await ApiFactory.UntilAsync(() => Task.FromResult(fixture.Log.RunsOf(id)), runs => runs == 4, $"job {id} to run two more attempts");
        }
    }

    [Fact]
    public async Task JobPage_RunningJob_RequeueIsRefusedAndDeleteCancelsIt()
    {
        var id = Jobs.Enqueue(TestJobRegistration.Block);
        await fixture.Log.StartedAsync(id);
        var detail = $"/dashboard/jobs/{id}";

        var refused = await Client.ActAsync(detail, "/dashboard/jobs/requeue", ("ids", $"{id}"));
        Assert.Equal($"Requeued 0 jobs. Skipped job {id} is Processing (not requeued).", DashboardPages.Flash(refused));
        Assert.Contains("data-testid=\"flash\"", refused);
        Assert.Contains("flash-error", refused);

        var deleted = await Client.ActAsync(detail, "/dashboard/jobs/delete", ("ids", $"{id}"));
        Assert.Equal($"Deleted job {id}.", DashboardPages.Flash(deleted));
        await Client.UntilStateAsync(id, "Deleted");
        await ApiFactory.UntilAsync(() => Task.FromResult(fixture.Log.Cancellations.Contains($"{id}")), c => c, $"job {id} to be cancelled");
    }

    [Fact]
    public async Task Flash_AfterAnAction_IsShownOnlyOnce()
    {
        var id = Jobs.Schedule("sleep", null, TimeSpan.FromHours(1), IdleQueue());
        var page = await Client.ActAsync($"/dashboard/jobs/{id}", "/dashboard/jobs/delete", ("ids", $"{id}"));
        Assert.NotNull(DashboardPages.Flash(page));

        var again = await Client.GetPageAsync($"/dashboard/jobs/{id}");

        Assert.Null(DashboardPages.Flash(again));
    }

    [Fact]
    public async Task Post_WithoutToken_Returns400AndChangesNothing()
    {
        var id = Jobs.Schedule("sleep", null, TimeSpan.FromHours(1), IdleQueue());
        await Client.GetPageAsync($"/dashboard/jobs/{id}");

        using var response = await Client.PostFormAsync("/dashboard/jobs/delete", [KeyValuePair.Create("ids", $"{id}")]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("The form has expired", await response.Content.ReadAsStringAsync());
        Assert.Equal("Scheduled", (await Client.GetJobAsync(id)).GetProperty("state").GetString());
    }

    [Theory]
    [InlineData("application/json", "{\"ids\": [1]}", HttpStatusCode.UnsupportedMediaType)]
    [InlineData(null, "", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("application/x-www-form-urlencoded", "ids=%00", HttpStatusCode.BadRequest)]
    public async Task Post_TokenInTheHeaderAndNoReadableForm_RefusedAndChangesNothing(string? mediaType, string body, HttpStatusCode status)
    {
        // Found by the fuzzer: antiforgery accepts its header without reading the body, and the action then failed
        // reading a form that was not there (a 500).
        var id = Jobs.Schedule("sleep", null, TimeSpan.FromHours(1), IdleQueue());
        var token = DashboardPages.Token(await Client.GetPageAsync($"/dashboard/jobs/{id}"));
        var content = new StringContent(body);
        content.Headers.ContentType = mediaType is null ? null : new System.Net.Http.Headers.MediaTypeHeaderValue(mediaType);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/dashboard/jobs/delete") { Content = content, Headers = { { "RequestVerificationToken", token } } };

        using var response = await Client.SendAsync(request);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("Scheduled", (await Client.GetJobAsync(id)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task Post_TokenWithoutItsCookie_Returns400()
    {
        var id = Jobs.Schedule("sleep", null, TimeSpan.FromHours(1), IdleQueue());
        using var client = fixture.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var page = await client.GetAsync($"/dashboard/jobs/{id}");
        Assert.Contains(page.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal));
        var token = DashboardPages.Token(await page.Content.ReadAsStringAsync());

        using var response = await client.PostFormAsync("/dashboard/jobs/delete", [KeyValuePair.Create("ids", $"{id}"), KeyValuePair.Create(DashboardPages.TokenField, token)]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Scheduled", (await Client.GetJobAsync(id)).GetProperty("state").GetString());
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/dashboard")]
    [InlineData("/dashboard//evil.example")]
    [InlineData("/api/jobs")]
    public async Task Post_ReturnAddressOutsideTheDashboard_RedirectsToTheOverview(string returnUrl)
    {
        var id = Jobs.Schedule("sleep", null, TimeSpan.FromHours(1), IdleQueue());
        var token = DashboardPages.Token(await Client.GetPageAsync($"/dashboard/jobs/{id}"));

        using var response = await Client.PostFormAsync("/dashboard/jobs/delete", [
            KeyValuePair.Create("ids", $"{id}"), KeyValuePair.Create(DashboardPages.TokenField, token), KeyValuePair.Create("returnUrl", returnUrl)]);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/dashboard", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task RecurringActions_TriggerPauseResumeDelete_SteerTheDefinition()
    {
        var manager = fixture.Factory.Services.GetRequiredService<IRecurringJobManager>();
        var id = "dash-act-" + Guid.NewGuid().ToString("N")[..8];
        manager.AddOrUpdate(id, "0 0 1 1 *", "sleep");
        const string page = "/dashboard/recurring";

        var triggered = await Client.ActAsync(page, "/dashboard/recurring/trigger", ("id", id));
        var jobId = manager.Get(id)!.Info.LastJobId;
        Assert.NotNull(jobId);
        Assert.StartsWith($"Triggered \"{id}\": job {jobId} is ", DashboardPages.Flash(triggered));
        Assert.Contains($"""<a href="/dashboard/jobs/{jobId}" data-testid="recurring-last-job">#{jobId}</a>""", triggered);

        var paused = await Client.ActAsync(page, "/dashboard/recurring/pause", ("id", id));
        Assert.True(manager.Get(id)!.Info.Paused);
        Assert.Contains("data-testid=\"recurring-paused\"", paused);
        Assert.Contains("data-testid=\"resume-recurring\"", paused);

        await Client.ActAsync(page, "/dashboard/recurring/resume", ("id", id));
        Assert.False(manager.Get(id)!.Info.Paused);

        var deleted = await Client.ActAsync(page, "/dashboard/recurring/delete", ("id", id));
        Assert.Null(manager.Get(id));
        Assert.DoesNotContain($"data-recurring-id=\"{id}\"", deleted);
        Assert.Equal($"Deleted the recurring job \"{id}\".", DashboardPages.Flash(deleted));
    }

    [Fact]
    public async Task RecurringAction_UnknownId_SaysSo()
    {
        var id = Jobs.Schedule("sleep", null, TimeSpan.FromHours(1), IdleQueue());

        var page = await Client.ActAsync($"/dashboard/jobs/{id}", "/dashboard/recurring/trigger", ("id", "no-such-definition"));

        Assert.Equal("There is no recurring job \"no-such-definition\".", DashboardPages.Flash(page));
    }
}
