using Hangfire;
using Hangfire.States;
using JobServer.Jobs;
using JobServer.Storage.MySql;
using JobServer.Tests.HangfireDashboard;
using JobServer.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace JobServer.Tests.Browser;

/// <summary>Hangfire's job details page follows a job's progress without a reload (the progress extension's script).</summary>
[Collection(BrowserCollection.Name)]
public sealed class HangfireJobProgressTests(ChromiumFixture chromium, TestDatabase database) : IClassFixture<TestDatabase>
{
    public static void Nothing()
    {
    }

    [Fact]
    public async Task JobDetails_ProgressReportedWhileOpen_BarMovesWithoutAReload()
    {
        using var storage = new MySqlStorage(database.ConnectionString);
        await using var dashboard = await HangfireDashboardApp.StartAsync(storage);
        // No server serves this queue: the job stays Enqueued, and the test plays the job's part by reporting progress.
        var id = new BackgroundJobClient(storage).Create(() => Nothing(), new EnqueuedState("progress-browser"));
        Report(storage, id, 1, 4);
        await using var context = await chromium.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(dashboard.Address, $"/hangfire/jobs/details/{id}").ToString());
        var text = page.Locator(".jobserver-progress .jobserver-progress-text");
        var bar = page.Locator(".jobserver-progress .progress-bar");
        await Expect(text).ToHaveTextAsync("1 / 4 (25 %)");
        var navigations = 0;
        page.FrameNavigated += (_, frame) => { if (frame == page.MainFrame) navigations++; };

        Report(storage, id, 3, 4);

        await Expect(text).ToHaveTextAsync("3 / 4 (75 %)");
        await Expect(bar).ToHaveAttributeAsync("aria-valuenow", "75");
        Assert.Equal(0, navigations);
    }

    private static void Report(JobStorage storage, string id, long done, long total)
    {
        using var connection = storage.GetConnection();
        connection.SetJobParameter(id, JobProgress.ParameterName, $$"""{"done":{{done}},"total":{{total}}}""");
    }
}
