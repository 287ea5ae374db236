using JobServer.Tests.Api;
using JobServer.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace JobServer.Tests.Browser;

/// <summary>The job page of a running job follows it without being reloaded: progress moves, the end reloads it.</summary>
[Collection(BrowserCollection.Name)]
public sealed class JobDetailPageTests(ChromiumFixture chromium, DashboardServer server) : IClassFixture<DashboardServer>
{
    [Fact]
    public async Task RunningJob_ReportsProgress_BarMovesWithoutAReload()
    {
        var id = await server.Api.CreateJobAsync(new { type = TestJobRegistration.Flaky, args = new { steps = 4 } });
        server.Log.Heal(id);
        await server.Log.StartedAsync(id);
        await using var browser = await DashboardBrowser.OpenAsync(chromium, server);
        var bar = browser.TestId("progress");
        var text = browser.TestId("progress-text");

        await browser.GotoAsync($"dashboard/jobs/{id}");
        await Expect(browser.TestId("job-state")).ToHaveTextAsync("Processing");
        await Expect(text).ToHaveTextAsync("0 / 4 (0 %)");
        await browser.MarkDocumentAsync();

        server.Log.ReleaseStep(id);
        await Expect(text).ToHaveTextAsync("1 / 4 (25 %)");
        await Expect(bar).ToHaveJSPropertyAsync("value", 1);
        server.Log.ReleaseStep(id);
        await Expect(text).ToHaveTextAsync("2 / 4 (50 %)");
        await Expect(bar).ToHaveJSPropertyAsync("value", 2);
        await Expect(bar).ToHaveJSPropertyAsync("max", 4);
        Assert.True(await browser.IsSameDocumentAsync(), "the page was reloaded to show the progress");
        await browser.ScreenshotAsync("job-progress.png");

        server.Log.ReleaseStep(id, 2);
        await Expect(browser.TestId("job-state")).ToHaveTextAsync("Succeeded");
        await Expect(text).ToHaveTextAsync("4 / 4 (100 %)");
        await Expect(browser.TestId("job-result")).ToContainTextAsync("\"steps\": 4");
        browser.AssertNoScriptErrors();
    }
}
