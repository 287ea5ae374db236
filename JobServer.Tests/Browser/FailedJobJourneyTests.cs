using System.Text.RegularExpressions;
using JobServer.Tests.Api;
using JobServer.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace JobServer.Tests.Browser;

/// <summary>
/// The operator's path the dashboard exists for, in a real browser: from the overview's Failed count to the failed
/// job, its stack trace, a requeue through the page's own form, and the job page turning Succeeded by itself.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class FailedJobJourneyTests(ChromiumFixture chromium, DashboardServer server) : IClassFixture<DashboardServer>
{
    [Fact]
    public async Task FailedJob_FollowedFromTheOverviewAndRequeued_ReachesSucceededLive()
    {
        // One progress step per attempt: the test releases the first at once, and holds the retry in Processing while
        // the job page is open, so the page has to notice the success on its own.
        var id = await server.Api.CreateJobAsync(new { type = TestJobRegistration.Flaky, args = new { steps = 1 } });
        server.Log.ReleaseStep(id);
        await server.Api.UntilStateAsync(id, "Failed");
        await using var browser = await DashboardBrowser.OpenAsync(chromium, server);

        await browser.GotoAsync("dashboard");
        await Expect(browser.TestId("count-failed")).ToHaveTextAsync(new Regex(@"^[1-9][\d,]*$"));
        await Expect(browser.TestId("live-status")).ToHaveTextAsync("live");
        var succeededBefore = await DashboardBrowser.NumberAsync(browser.TestId("count-succeeded"));
        await browser.ScreenshotAsync("overview.png");

        await browser.TestId("state-card-failed").ClickAsync();
        await Expect(browser.Page).ToHaveURLAsync(new Regex("/dashboard/jobs/failed$"));
        await browser.ScreenshotAsync("jobs-failed.png");
        await browser.JobRow(id).GetByTestId("job-link").ClickAsync();

        await Expect(browser.Page).ToHaveURLAsync(new Regex($"/dashboard/jobs/{id}$"));
        await Expect(browser.TestId("job-state")).ToHaveTextAsync("Failed");
        await Expect(browser.TestId("exception-message")).ToHaveTextAsync(FlakyJob.Message);
        await Expect(browser.TestId("stack-trace")).ToContainTextAsync($"{nameof(FlakyJob)}.CallFlakyDependency");
        await Expect(browser.TestId("stack-trace")).ToContainTextAsync(FlakyJob.Message);
        await browser.ScreenshotAsync("job-failed.png");

        server.Log.Heal(id);
        var post = await browser.Page.RunAndWaitForResponseAsync(
            () => browser.TestId("requeue-job").ClickAsync(),
            response => response.Request.Method == "POST" && response.Url.EndsWith("/dashboard/jobs/requeue", StringComparison.Ordinal));
        Assert.Equal(303, post.Status);
        await Expect(browser.TestId("job-state")).ToHaveTextAsync("Processing");

        server.Log.ReleaseStep(id);
        await Expect(browser.TestId("job-state")).ToHaveTextAsync("Succeeded");
        await Expect(browser.TestId("stack-trace")).ToHaveCountAsync(0);

        await browser.TestId("nav-overview").ClickAsync();
        await DashboardBrowser.UntilNumberAsync(
            browser.TestId("count-succeeded"), count => count > succeededBefore, $"the overview's Succeeded count to grow past {succeededBefore}");
        browser.AssertNoScriptErrors();
    }
}
