using JobServer.Tests.Api;
using static Microsoft.Playwright.Assertions;

namespace JobServer.Tests.Browser;

/// <summary>The overview keeps its numbers current by itself and draws its graphs.</summary>
[Collection(BrowserCollection.Name)]
public sealed class OverviewPageTests(ChromiumFixture chromium, DashboardServer server) : IClassFixture<DashboardServer>
{
    [Fact]
    public async Task Overview_JobsEnqueuedWhileOpen_CountsChangeWithoutAReload()
    {
        var queue = BrowserData.IdleQueue();
        await using var browser = await DashboardBrowser.OpenAsync(chromium, server);
        await browser.GotoAsync("dashboard");
        await Expect(browser.TestId("live-status")).ToHaveTextAsync("live");
        var enqueuedBefore = await DashboardBrowser.NumberAsync(browser.TestId("count-enqueued"));
        await browser.MarkDocumentAsync();

        for (var i = 0; i < 3; i++)
        {
            await server.Api.CreateJobAsync(new { type = "sleep", queue });
        }

        await DashboardBrowser.UntilNumberAsync(
            browser.TestId("count-enqueued"), count => count == enqueuedBefore + 3, $"the Enqueued count to go from {enqueuedBefore} to {enqueuedBefore + 3}");
        var row = browser.Page.Locator($"[data-testid='queue-row'][data-queue='{queue}']");
        await Expect(row.GetByTestId("queue-enqueued")).ToHaveTextAsync("3");
        await Expect(browser.TestId("no-queues")).ToBeHiddenAsync();
        Assert.True(await browser.IsSameDocumentAsync(), "the page was reloaded to show the new counts");
        browser.AssertNoScriptErrors();
    }

    [Fact]
    public async Task Overview_Open_DrawsTheRealtimeAndHistoryGraphs()
    {
        await using var browser = await DashboardBrowser.OpenAsync(chromium, server);

        await browser.GotoAsync("dashboard");

        await Expect(browser.TestId("realtime-graph").Locator("svg polyline.line.succeeded")).ToHaveCountAsync(1);
        await Expect(browser.TestId("history-hourly").Locator("svg g")).ToHaveCountAsync(24);
        await Expect(browser.TestId("history-daily").Locator("svg g")).Not.ToHaveCountAsync(0);
        await Expect(browser.TestId("history-hourly-total")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^[\d,]+ succeeded · [\d,]+ failed$"));
        browser.AssertNoScriptErrors();
    }
}
