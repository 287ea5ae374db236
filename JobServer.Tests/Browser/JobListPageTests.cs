using JobServer.Tests.Api;
using static Microsoft.Playwright.Assertions;

namespace JobServer.Tests.Browser;

/// <summary>Selecting jobs in a list and acting on them through the page's bulk form.</summary>
[Collection(BrowserCollection.Name)]
public sealed class JobListPageTests(ChromiumFixture chromium, DashboardServer server) : IClassFixture<DashboardServer>
{
    [Fact]
    public async Task DeleteSelected_TwoOfThreeEnqueuedJobs_DeletesJustThoseAndSaysSo()
    {
        var queue = BrowserData.IdleQueue();
        var ids = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await server.Api.CreateJobAsync(new { type = "sleep", queue }));
        }

        await using var browser = await DashboardBrowser.OpenAsync(chromium, server);
        await browser.GotoAsync($"dashboard/jobs/enqueued?queue={queue}");
        var delete = browser.TestId("delete-selected");
        await Expect(browser.TestId("job-row")).ToHaveCountAsync(3);
        await Expect(browser.TestId("requeue-selected")).ToHaveCountAsync(0);
        await Expect(delete).ToBeDisabledAsync();

        await browser.JobRow(ids[0]).GetByTestId("job-select").CheckAsync();
        await browser.JobRow(ids[2]).GetByTestId("job-select").CheckAsync();
        await Expect(delete).ToBeEnabledAsync();
        await Expect(browser.TestId("select-all")).ToHaveJSPropertyAsync("indeterminate", true);
        await delete.ClickAsync();

        await Expect(browser.TestId("flash")).ToHaveTextAsync("Deleted 2 jobs.");
        await Expect(browser.TestId("job-row")).ToHaveCountAsync(1);
        await Expect(browser.JobRow(ids[1])).ToBeVisibleAsync();
        Assert.Equal("Deleted", (await server.Api.GetJobAsync(ids[0])).GetProperty("state").GetString());
        Assert.Equal("Deleted", (await server.Api.GetJobAsync(ids[2])).GetProperty("state").GetString());
        Assert.Equal("Enqueued", (await server.Api.GetJobAsync(ids[1])).GetProperty("state").GetString());
        browser.AssertNoScriptErrors();
    }

    [Fact]
    public async Task RequeueSelected_AllDeletedJobsOfAQueue_EnqueuesThemAgain()
    {
        var queue = BrowserData.IdleQueue();
        var ids = new List<long>();
        for (var i = 0; i < 2; i++)
        {
            var id = await server.Api.CreateJobAsync(new { type = "sleep", queue });
            await server.Api.DeleteJobAsync(id);
            ids.Add(id);
        }

        await using var browser = await DashboardBrowser.OpenAsync(chromium, server);
        await browser.GotoAsync($"dashboard/jobs/deleted?queue={queue}");
        var requeue = browser.TestId("requeue-selected");
        await Expect(requeue).ToBeDisabledAsync();
        await Expect(browser.TestId("delete-selected")).ToHaveCountAsync(0);

        await browser.TestId("select-all").CheckAsync();
        await Expect(browser.TestId("job-select")).ToHaveCountAsync(2);
        foreach (var box in await browser.TestId("job-select").AllAsync())
        {
            await Expect(box).ToBeCheckedAsync();
        }

        await requeue.ClickAsync();

        await Expect(browser.TestId("flash")).ToHaveTextAsync("Requeued 2 jobs.");
        await Expect(browser.TestId("no-jobs")).ToBeVisibleAsync();
        foreach (var id in ids)
        {
            Assert.Equal("Enqueued", (await server.Api.GetJobAsync(id)).GetProperty("state").GetString());
        }

        browser.AssertNoScriptErrors();
    }
}
