using System.Text.RegularExpressions;
using JobServer.Tests.Api;
using static Microsoft.Playwright.Assertions;

namespace JobServer.Tests.Browser;

/// <summary>The servers and queues pages render their rows in a browser and lead on to the jobs.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ServersAndQueuesPagesTests(ChromiumFixture chromium, DashboardServer server) : IClassFixture<DashboardServer>
{
    [Fact]
    public async Task Servers_RunningServer_ShowsItsRowAlive()
    {
        await using var browser = await DashboardBrowser.OpenAsync(chromium, server);

        await browser.GotoAsync("dashboard");
        await browser.TestId("nav-servers").ClickAsync();

        var row = browser.Page.Locator($"[data-testid='server-row'][data-server-id='{server.Factory.ServerId}']");
        await Expect(row.GetByTestId("server-alive")).ToBeVisibleAsync();
        Assert.Equal(1, await row.CountAsync());
        await Expect(row.GetByTestId("server-queues")).ToHaveTextAsync(string.Join(", ", ApiFactory.Queues));
        await Expect(row.GetByTestId("server-workers")).ToHaveTextAsync(new Regex($@"^\d+ / {ApiFactory.Workers}$"));
        await browser.ScreenshotAsync("servers.png");
        browser.AssertNoScriptErrors();
    }

    [Fact]
    public async Task Queues_QueueWithWaitingJobs_ShowsItsCountsAndLinksToTheJobs()
    {
        var queue = BrowserData.IdleQueue();
        await server.Api.CreateJobAsync(new { type = "sleep", queue });
        await server.Api.CreateJobAsync(new { type = "sleep", queue });
        await server.Api.CreateJobAsync(new { type = "sleep", queue, delay = "01:00:00" }, expectedState: "Scheduled");
        await using var browser = await DashboardBrowser.OpenAsync(chromium, server);

        await browser.GotoAsync("dashboard");
        await browser.TestId("nav-queues").ClickAsync();

        var row = browser.Page.Locator($"[data-testid='queue-row'][data-queue='{queue}']");
        await Expect(row.GetByTestId("queue-enqueued")).ToHaveTextAsync("2");
        await Expect(row.GetByTestId("queue-scheduled")).ToHaveTextAsync("1");
        await Expect(row.GetByTestId("queue-oldest")).Not.ToHaveTextAsync("none waiting");
        await browser.ScreenshotAsync("queues.png");

        await row.GetByTestId("queue-enqueued").ClickAsync();
        await Expect(browser.TestId("job-row")).ToHaveCountAsync(2);
        await Expect(browser.TestId("filter-queue")).ToHaveValueAsync(queue);
        browser.AssertNoScriptErrors();
    }
}
