using System.Globalization;
using System.Text.RegularExpressions;
using Hangfire;
using Hangfire.States;
using Hangfire.Storage;
using JobServer.Jobs;
using JobServer.Tests.Dashboard;
using JobServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace JobServer.Tests.Browser;

/// <summary>
/// What an operator does in Hangfire's dashboard on the real host, in headless Chromium: a failed job followed to its
/// stack trace and requeued until it succeeds; a running bulk insert's progress moving on its details page; a bulk
/// insert started from the Bulk inserts page, followed to its count; the overview, recurring jobs and servers pages.
/// The README's screenshots (docs/screenshots/*.png) are taken on the way.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DashboardJourneyTests(ChromiumFixture chromium, DashboardBrowserHost host) : IClassFixture<DashboardBrowserHost>
{
    private const string FailureMessage = "Payment provider did not answer within 30 s";

    [Fact]
    public async Task FailedJob_OpenedFromFailedListAndRequeued_ShowsStackTraceThenSucceeds()
    {
        // The fail job succeeds from this moment on: its first run fails, the requeued one (after it) recovers.
        var succeedAfter = DateTimeOffset.UtcNow.AddSeconds(4);
        var id = host.Enqueue("fail", $$"""{"message":"{{FailureMessage}}","succeedAfter":"{{succeedAfter:O}}"}""");
        await host.UntilStateAsync(id, FailedState.StateName);
        await using var tab = await DashboardPage.OpenAsync(chromium);
        var page = tab.Page;

        await page.GotoAsync(host.Url("/hangfire/jobs/failed"));
        await page.Locator($"a[href$='/jobs/details/{id}']").First.ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex($"/hangfire/jobs/details/{id}$"));
        await Expect(page.Locator(".state-card .exception-type").First).ToContainTextAsync("System.InvalidOperationException");
        await Expect(page.Locator(".state-card .stack-trace").First).ToContainTextAsync("JobServer.Jobs.FailJob.Run");
        await Expect(page.Locator(".state-card").First).ToContainTextAsync(FailureMessage);
        await Screenshots.TakeAsync(page, "job-failed");

        await Eventually.UntilAsync(() => DateTimeOffset.UtcNow > succeedAfter, TimeSpan.FromSeconds(10), "the fail job's succeedAfter to pass");
        // Hangfire's script posts the command, then reloads the page itself.
        var requeue = page.Locator($"button[data-ajax$='/jobs/actions/requeue/{id}']");
#pragma warning disable CS0612, CS0618 // the one wait for a navigation that keeps the same URL
        await page.RunAndWaitForNavigationAsync(() => requeue.ClickAsync());
#pragma warning restore CS0612, CS0618
        await host.UntilStateAsync(id, SucceededState.StateName);
        await page.ReloadAsync();

        await Expect(page.Locator(".state-card .state-card-title").First).ToContainTextAsync("Succeeded");
        await Expect(page.Locator(".state-card").First).ToContainTextAsync("\"recovered\":true");
        tab.AssertNoScriptErrors();
    }

    [Fact]
    public async Task RunningBulkInsert_DetailsPageOpen_ProgressMovesWithoutAReload()
    {
        var id = host.Enqueue("bulk-insert", $$"""{"rows":600000,"project":"{{Unique("warehouse-import")}}","chunkSize":5000}""");
        await Eventually.UntilAsync(() => JobProgress.Read(host.Storage, id), p => p is { Done: > 0 }, TimeSpan.FromSeconds(30), "the bulk insert to report progress");
        await using var tab = await DashboardPage.OpenAsync(chromium);
        var page = tab.Page;
        await page.GotoAsync(host.Url($"/hangfire/jobs/details/{id}"));
        var bar = page.Locator(".jobserver-progress .jobserver-progress-text");
        var first = await bar.TextContentAsync();
        var navigations = 0;
        page.FrameNavigated += (_, frame) => { if (frame == page.MainFrame) navigations++; };

        await Expect(bar).Not.ToHaveTextAsync(first!);

        await Expect(bar).ToHaveTextAsync(new Regex(@"^[0-9,]+ / 600,000 \([0-9]+ %\)$"));
        Assert.Equal(ProcessingState.StateName, host.StateOf(id));
        Assert.Equal(0, navigations);
        // For the picture, a bar a fair way along.
        await Eventually.UntilAsync(() => JobProgress.Read(host.Storage, id), p => p is { Percent: >= 25 }, TimeSpan.FromSeconds(60), "the bulk insert to be a quarter done");
        await Expect(bar).ToHaveTextAsync(new Regex(@"\(([2-9][0-9]|100) %\)$"));
        await Screenshots.TakeAsync(page, "job-progress");
        host.Client.Delete(id);
        await host.UntilStateAsync(id, DeletedState.StateName);
        tab.AssertNoScriptErrors();
    }

    [Fact]
    public async Task BulkInsertsPage_FormSubmitted_JobListedWithProgressThenCounted()
    {
        var project = Unique("shop");
        var earlier = host.Enqueue("bulk-insert", $$"""{"rows":25000,"project":"{{Unique("archive")}}","chunkSize":5000}""");
        await host.UntilStateAsync(earlier, SucceededState.StateName);
        await using var tab = await DashboardPage.OpenAsync(chromium);
        var page = tab.Page;
        await page.GotoAsync(host.Url("/hangfire"));
        await page.GetByRole(AriaRole.Link, new() { Name = "Bulk inserts" }).ClickAsync();

        await page.Locator("#bulk-rows").FillAsync("1000000");
        await page.Locator("#bulk-project").FillAsync(project);
        await page.Locator("#bulk-chunkSize").FillAsync("5000");
        await page.Locator("#bulk-insert-submit").ClickAsync();

        var started = page.Locator("#bulk-insert-started a");
        await Expect(started).ToBeVisibleAsync();
        var id = (await started.TextContentAsync())!.Trim().TrimStart('#');
        var row = page.Locator($"tr.bulk-insert-job[data-job-id='{id}']");
        await Expect(row).ToContainTextAsync(project);
        await Expect(row.Locator(".jobserver-progress-text")).ToHaveTextAsync(new Regex(@"^[1-9][0-9,]* / 1,000,000 \("), new() { Timeout = 30_000 });
        // The state label is as of the page's load (the script moves the bar only): reloaded a tenth in, it reads Processing.
        await Eventually.UntilAsync(() => JobProgress.Read(host.Storage, id), p => p is { Percent: >= 10 }, TimeSpan.FromSeconds(60), "the bulk insert to be a tenth done");
        await page.ReloadAsync();
        await Expect(row.Locator(".label")).ToHaveTextAsync("Processing");
        await Screenshots.TakeAsync(page, "bulk-inserts", fullPage: true);

        // The page reloads itself when the job stops; then it shows the state and the project's count.
        await Expect(row.Locator(".label")).ToHaveTextAsync("Succeeded", new() { Timeout = 60_000 });
        await Expect(page.Locator($"tr.project-count[data-project='{project}'] td").Last).ToHaveTextAsync("1,000,000");
        await Expect(row.Locator(".jobserver-progress-text")).ToHaveTextAsync("1,000,000 / 1,000,000 (100 %)");
        Assert.Equal(SucceededState.StateName, host.StateOf(id));
        tab.AssertNoScriptErrors();
    }

    [Fact]
    public async Task OverviewRecurringAndServers_WithAWorkload_ShowItAndTriggerARecurringJob()
    {
        var finished = Enumerable.Range(0, 12).Select(i => host.Enqueue("sleep", $$"""{"ms":{{20 + (i * 37 % 200)}}}""")).ToList();
        var failed = host.Enqueue("fail", $$"""{"message":"{{FailureMessage}}"}""");
        var recurring = host.Server.Factory.Services.GetRequiredService<IRecurringJobManager>();
        recurring.AddOrUpdate("daily-report", DashboardHost.Job("report", "{}"), "0 6 * * *", new RecurringJobOptions { TimeZone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin") });
        recurring.AddOrUpdate("cleanup-temp-files", DashboardHost.Job("sleep", """{"ms":150}"""), "*/15 * * * *");
        foreach (var id in finished) await host.UntilStateAsync(id, SucceededState.StateName);
        await host.UntilStateAsync(failed, FailedState.StateName);
        await using var tab = await DashboardPage.OpenAsync(chromium);
        var page = tab.Page;

        await page.GotoAsync(host.Url("/hangfire"));
        await Expect(page.Locator("#realtimeGraph")).ToBeVisibleAsync();
        // The realtime graph draws what finished between two polls of the open page: a batch of jobs per poll.
        for (var batch = 1; batch <= 4; batch++)
        {
            var jobs = Enumerable.Range(0, batch * 3).Select(i => host.Enqueue("sleep", $$"""{"ms":{{10 + (i * 13 % 90)}}}""")).ToList();
            foreach (var id in jobs) await host.UntilStateAsync(id, SucceededState.StateName);
            await page.WaitForResponseAsync(response => response.Url.EndsWith("/hangfire/stats", StringComparison.Ordinal));
        }

        await Expect(page.Locator("#historyGraph")).ToBeVisibleAsync();
        await Expect(page.Locator(".navbar-brand")).ToHaveTextAsync("JobServer");
        await Screenshots.TakeAsync(page, "overview", fullPage: true);

        await page.GetByRole(AriaRole.Link, new() { Name = "Recurring Jobs" }).ClickAsync();
        var cleanup = page.Locator("tr.js-jobs-list-row", new() { HasText = "cleanup-temp-files" });
        await Expect(cleanup).ToContainTextAsync("*/15 * * * *");
        await Expect(page.Locator("tr.js-jobs-list-row", new() { HasText = "daily-report" })).ToContainTextAsync("0 6 * * *");
        await Screenshots.TakeAsync(page, "recurring-jobs");
        await cleanup.Locator("input.js-jobs-list-checkbox").CheckAsync();
        await page.Locator("button.js-jobs-list-command[data-url$='/recurring/trigger']").ClickAsync();
        var triggered = await Eventually.UntilAsync(() => LastJobId("cleanup-temp-files"), id => id is not null, TimeSpan.FromSeconds(15), "the trigger to create a job");
        await host.UntilStateAsync(triggered!, SucceededState.StateName);

        await page.GetByRole(AriaRole.Link, new() { Name = "Servers" }).ClickAsync();
        await Expect(page.Locator("table")).ToContainTextAsync(host.ServerName + ":default");
        await Expect(page.Locator("table")).ToContainTextAsync(host.ServerName + ":cpu");
        await Screenshots.TakeAsync(page, "servers");
        tab.AssertNoScriptErrors();
    }

    private string? LastJobId(string recurringId)
    {
        using var connection = host.Storage.GetConnection();
        return connection.GetRecurringJobs([recurringId]).Single().LastJobId;
    }

    private static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..4];
}
