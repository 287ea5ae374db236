using System.Net;
using Hangfire.States;

namespace JobServer.Storage.MySql.Tests.Dashboard;

/// <summary>Every page of Hangfire's dashboard renders on our storage and shows what was seeded.</summary>
public sealed class DashboardPagesTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    [Theory]
    [InlineData("/hangfire", "Realtime Graph")]
    [InlineData("/hangfire/jobs/enqueued", "default")]
    [InlineData("/hangfire/jobs/enqueued/default", "MonitoringJobs.Noop")]
    [InlineData("/hangfire/jobs/enqueued/fetched/default", "default")]
    [InlineData("/hangfire/jobs/enqueued/fetched/blocking", "MonitoringJobs.Block")]
    [InlineData("/hangfire/jobs/scheduled", "MonitoringJobs.Noop")]
    [InlineData("/hangfire/jobs/processing", "MonitoringJobs.Block")]
    [InlineData("/hangfire/jobs/succeeded", "MonitoringJobs.Succeed")]
    [InlineData("/hangfire/jobs/failed", DashboardFixture.FailureMessage)]
    [InlineData("/hangfire/jobs/deleted", "MonitoringJobs.Noop")]
    [InlineData("/hangfire/jobs/awaiting", "MonitoringJobs.Noop")]
    [InlineData("/hangfire/retries", "MonitoringJobs.FailAndRetry")]
    [InlineData("/hangfire/recurring", DashboardFixture.RecurringId)]
    [InlineData("/hangfire/servers", "dashboard-test")]
    [InlineData("/hangfire/jobs/succeeded?from=20&count=20", "Succeeded Jobs")]
    [InlineData("/hangfire/jobs/failed?from=20&count=20", "Failed Jobs")]
    [InlineData("/hangfire/jobs/deleted?from=20&count=20", "Deleted Jobs")]
    [InlineData("/hangfire/jobs/scheduled?from=20&count=20", "Scheduled Jobs")]
    [InlineData("/hangfire/jobs/processing?from=20&count=20", "Processing Jobs")]
    [InlineData("/hangfire/jobs/awaiting?from=20&count=20", "Awaiting Jobs")]
    [InlineData("/hangfire/recurring?from=20&count=20", "Recurring Jobs")]
    [InlineData("/hangfire/retries?from=20&count=20", "Retries")]
    public async Task Get_Page_RendersWithSeededContent(string path, string expected)
    {
        var html = await GetPageAsync(path);

        Assert.Contains(expected, html);
    }

    [Theory]
    [InlineData("Enqueued")]
    [InlineData("Scheduled")]
    [InlineData("Processing")]
    [InlineData("Succeeded")]
    [InlineData("Failed")]
    [InlineData("Deleted")]
    [InlineData("Awaiting")]
    [InlineData("Retry")]
    public async Task GetJobDetails_JobInState_ShowsJobAndHistory(string state)
    {
        var id = fixture.JobIdByState[state];

        var html = await GetPageAsync($"/hangfire/jobs/details/{id}");

        Assert.Contains($"#{id}", html);
        Assert.Contains(state == "Retry" ? ScheduledState.StateName : state, html);
        if (state == FailedState.StateName) Assert.Contains(DashboardFixture.FailureMessage, html);
        if (state == "Retry") Assert.Contains("dashboard retry message", html);
    }

    [Fact]
    public async Task GetQueuePage_SecondPage_ListsJobsAfterTheFirstTwenty()
    {
        var html = await GetPageAsync("/hangfire/jobs/enqueued/default?from=20&count=20");

        foreach (var id in fixture.EnqueuedIds.Skip(20)) Assert.Contains($"jobs/details/{id}\"", html);
        Assert.DoesNotContain($"jobs/details/{fixture.EnqueuedIds[0]}\"", html);
    }

    [Fact]
    public async Task PostStats_AllMetrics_ReturnsCountsAsJson()
    {
        string[] metrics = ["servers:count", "recurring:count", "retries:count", "enqueued:count-or-null",
            "failed:count-or-null", "scheduled:count", "processing:count", "succeeded:count", "failed:count",
            "deleted:count", "awaiting:count"];
        using var form = new FormUrlEncodedContent(metrics.Select(m => new KeyValuePair<string, string>("metrics[]", m)));

        using var response = await fixture.Http.PostAsync("/hangfire/stats", form);
        var json = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stats = Newtonsoft.Json.Linq.JObject.Parse(json);
        Assert.Equal(1, (long)stats["servers:count"]!["value"]!);
        Assert.Equal(1, (long)stats["recurring:count"]!["value"]!);
        Assert.Equal(1, (long)stats["retries:count"]!["value"]!);
        Assert.Equal(1, (long)stats["processing:count"]!["value"]!);
        Assert.Equal(1, (long)stats["succeeded:count"]!["value"]!);
        Assert.Equal(1, (long)stats["failed:count"]!["value"]!);
        Assert.Equal(1, (long)stats["deleted:count"]!["value"]!);
        Assert.Equal(1, (long)stats["awaiting:count"]!["value"]!);
        Assert.Equal(DashboardFixture.EnqueuedCount, (long)stats["enqueued:count-or-null"]!["value"]!);
    }

    [Fact]
    public async Task GetHome_ConnectionString_ShowsServerAndDatabaseButNoCredentials()
    {
        var html = await GetPageAsync("/hangfire");

        Assert.Contains(WebUtility.HtmlEncode(fixture.Storage.ToString()), html);
        Assert.StartsWith("MySQL ", fixture.Storage.ToString());
        Assert.DoesNotContain("Password=", html, StringComparison.OrdinalIgnoreCase);
    }

    private static string Password =>
        new MySqlConnector.MySqlConnectionStringBuilder(Infrastructure.MySqlTestDatabase.ServerConnectionString).Password;

    private async Task<string> GetPageAsync(string path)
    {
        using var response = await fixture.Http.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} answered {(int)response.StatusCode}: {html[..Math.Min(html.Length, 2000)]}");
        Assert.DoesNotContain(Password, html);
        return html;
    }
}
