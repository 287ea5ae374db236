using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using JobServer.Tests.Api;
using static Microsoft.Playwright.Assertions;

namespace JobServer.Tests.Browser;

/// <summary>
/// The README's pictures, taken from a realistic workload on a server of their own: finished jobs on two queues (so
/// the graphs have something to draw), recurring definitions, a failed job (the shipped "fail" demo job) and a bulk
/// insert caught while it runs.
/// Every run writes them to artifacts/screenshots/docs-*.png; with JOBSERVER_UPDATE_DOCS_SCREENSHOTS=1 they replace
/// docs/screenshots/*.png instead.
/// </summary>
[Collection(ReadmeScreenshotsCollection.Name)]
public sealed class ReadmeScreenshotsTests(ChromiumFixture chromium, DashboardServer server) : IClassFixture<DashboardServer>
{
    private const string FailureMessage = "Payment provider did not answer within 30 s";

    private static readonly string[] Queues = ["default", "critical"];

    [Fact]
    public async Task Readme_RealisticWorkload_ScreenshotsOverviewFailedJobAndRunningBulkInsert()
    {
        var api = server.Api;
        var finished = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            finished.Add(await api.CreateBulkInsertAsync(new { rows = 20_000 + (i * 15_000), project = $"shop-{i + 1}", chunkSize = 5_000 }));
        }

        finished.AddRange(await SleepJobsAsync(24, longestMs: 300));
        await api.PutRecurringAsync("daily-report", new { cron = "0 6 * * *", timeZone = "Europe/Berlin", type = "report" });
        await api.PutRecurringAsync("cleanup-temp-files", new { cron = "*/15 * * * *", type = "sleep", args = new { ms = 150 } });
        foreach (var id in finished)
        {
            await api.UntilStateAsync(id, "Succeeded");
        }

        using (var trigger = await api.PostAsync("/api/recurring/daily-report/trigger", null))
        {
            Assert.Equal(HttpStatusCode.Accepted, trigger.StatusCode);
        }

        await api.UntilStateAsync(RecurringApi.LastJobId(await api.GetRecurringAsync("daily-report"))!.Value, "Succeeded");
        var failed = await api.CreateJobAsync(new { type = "fail", args = new { message = FailureMessage } });
        await api.UntilStateAsync(failed, "Failed");
        await using var browser = await DashboardBrowser.OpenAsync(chromium, server);

        // The realtime graph draws rates between the stats polls (every 2 s) the open page has made: feed it a batch per
        // poll, the last ones long enough to still be finishing when the picture is taken. The page runs on Playwright's
        // clock (at real speed), so that the history graphs, which the page refreshes once a minute, can be brought up
        // to date without waiting that minute.
        await browser.Page.Clock.InstallAsync();
        await browser.GotoAsync("dashboard");
        var realtime = browser.TestId("realtime-graph").Locator("polyline.line.succeeded");
        for (var samples = 1; samples <= 4; samples++)
        {
            await Expect(realtime).ToHaveAttributeAsync("points", new Regex($@"^(\S+\s+){{{samples - 1}}}\S+$"));
            await SleepJobsAsync(8 + (samples * 3), longestMs: 400 * samples);
        }

        var bulk = await api.CreateBulkInsertAsync(new { rows = 2_000_000, project = "warehouse-import", chunkSize = 20_000 });
        await api.UntilJobAsync(bulk, j => Done(j) > 0, "to report progress");
        var history = await browser.TestId("history-hourly-total").TextContentAsync();
        await browser.Page.Clock.FastForwardAsync("01:00");
        await Expect(browser.TestId("history-hourly-total")).Not.ToHaveTextAsync(history!);
        await Expect(browser.TestId("count-processing")).Not.ToHaveTextAsync("0");
        await browser.ScreenshotToAsync(Screenshots.ForDocs("overview.png"), fullPage: true);

        await api.UntilJobAsync(bulk, j => Done(j) >= 400_000, "to be a fifth done");
        await browser.GotoAsync($"dashboard/jobs/{bulk}");
        await Expect(browser.TestId("job-state")).ToHaveTextAsync("Processing");
        await Expect(browser.TestId("progress-text")).Not.ToHaveTextAsync(new Regex("^0 /"));
        await browser.ScreenshotToAsync(Screenshots.ForDocs("job-progress.png"), fullPage: false);
        await api.DeleteJobAsync(bulk);
        await api.UntilStateAsync(bulk, "Deleted");

        await browser.GotoAsync($"dashboard/jobs/{failed}");
        await Expect(browser.TestId("exception-message")).ToHaveTextAsync(FailureMessage);
        await Expect(browser.TestId("stack-trace")).ToContainTextAsync(FailureMessage);
        await browser.ScreenshotToAsync(Screenshots.ForDocs("job-failed.png"), fullPage: false);
        browser.AssertNoScriptErrors();
    }

    private static long Done(JsonElement job) =>
        job.GetProperty("progress") is { ValueKind: JsonValueKind.Object } progress ? progress.GetProperty("done").GetInt64() : 0;

    /// <summary>Short sleeps of assorted lengths spread over the server's queues, as everyday jobs arrive.</summary>
    private async Task<List<long>> SleepJobsAsync(int count, int longestMs)
    {
        var ids = new List<long>();
        for (var i = 0; i < count; i++)
        {
            var ms = 40 + (i * 37 % longestMs);
            ids.Add(await server.Api.CreateJobAsync(new { type = "sleep", queue = Queues[i % 3 == 0 ? 1 : 0], args = new { ms } }));
        }

        return ids;
    }
}
