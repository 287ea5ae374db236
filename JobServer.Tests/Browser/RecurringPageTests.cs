using JobServer.Tests.Api;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace JobServer.Tests.Browser;

/// <summary>The recurring page in a browser: what a definition looks like, and its buttons.</summary>
[Collection(BrowserCollection.Name)]
public sealed class RecurringPageTests(ChromiumFixture chromium, DashboardServer server) : IClassFixture<DashboardServer>
{
    [Fact]
    public async Task TriggerNow_DefinitionCreatedThroughTheApi_CreatesAJobAndLinksIt()
    {
        var id = RecurringApi.NewId("browser");
        var created = await server.Api.PutRecurringAsync(id, new { cron = "*/5 * * * *", type = "sleep", queue = BrowserData.IdleQueue() });
        var description = created.GetProperty("description").GetString()!;
        Assert.NotEqual("", description);
        await using var browser = await DashboardBrowser.OpenAsync(chromium, server);

        await browser.GotoAsync("dashboard/recurring");
        var row = Row(browser, id);
        await Expect(row.GetByTestId("recurring-cron")).ToHaveTextAsync("*/5 * * * *");
        await Expect(row.GetByTestId("recurring-description")).ToHaveTextAsync(description);
        await Expect(row.GetByTestId("recurring-last-job")).ToHaveCountAsync(0);
        await row.GetByTestId("trigger-recurring").ClickAsync();

        await Expect(browser.TestId("flash")).ToContainTextAsync($"Triggered \"{id}\": job ");
        var jobId = RecurringApi.LastJobId(await server.Api.GetRecurringAsync(id));
        Assert.NotNull(jobId);
        var lastJob = row.GetByTestId("recurring-last-job");
        await Expect(lastJob).ToHaveTextAsync($"#{jobId}");
        await browser.ScreenshotAsync("recurring.png");

        await lastJob.ClickAsync();
        await Expect(browser.TestId("job-id")).ToHaveTextAsync($"Job #{jobId}");
        await Expect(browser.TestId("job-type")).ToHaveTextAsync("sleep");
        browser.AssertNoScriptErrors();
    }

    [Fact]
    public async Task Delete_AsksFirst_KeepsTheDefinitionWhenDeclinedAndDeletesItWhenAccepted()
    {
        var id = RecurringApi.NewId("browser");
        await server.Api.PutRecurringAsync(id, new { cron = "0 3 * * *", type = "sleep" });
        await using var browser = await DashboardBrowser.OpenAsync(chromium, server);
        await browser.GotoAsync("dashboard/recurring");
        var row = Row(browser, id);

        var declined = await AnswerConfirmationAsync(browser, row, accept: false);
        Assert.Contains(id, declined);
        await Expect(row).ToBeVisibleAsync();
        await Expect(browser.TestId("flash")).ToHaveCountAsync(0);

        await AnswerConfirmationAsync(browser, row, accept: true);
        await Expect(browser.TestId("flash")).ToHaveTextAsync($"Deleted the recurring job \"{id}\".");
        await Expect(row).ToHaveCountAsync(0);
        browser.AssertNoScriptErrors();
    }

    private static ILocator Row(DashboardBrowser browser, string id) =>
        browser.Page.Locator($"[data-testid='recurring-row'][data-recurring-id='{id}']");

    /// <summary>Clicks the row's Delete button and answers the confirmation it raises; returns the question asked.</summary>
    private static async Task<string> AnswerConfirmationAsync(DashboardBrowser browser, ILocator row, bool accept)
    {
        var asked = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        async void Answer(object? sender, IDialog dialog)
        {
            try
            {
                await (accept ? dialog.AcceptAsync() : dialog.DismissAsync());
                asked.TrySetResult(dialog.Message);
            }
            catch (Exception ex)
            {
                asked.TrySetException(ex);
            }
        }

        browser.Page.Dialog += Answer;
        try
        {
            await row.GetByTestId("delete-recurring").ClickAsync();
            return await asked.Task.WaitAsync(ChromiumFixture.Patience);
        }
        finally
        {
            browser.Page.Dialog -= Answer;
        }
    }
}
