using System.Net;
using System.Text.RegularExpressions;
using JobServer.Engine.Client;
using JobServer.Jobs.Builtin;
using JobServer.Tests.Api;
using JobServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace JobServer.Tests.Dashboard;

/// <summary>The job lists (keyset paging, filters) and the job page (failure, timeline, encoding), through the real host and database.</summary>
public sealed class JobPagesTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private HttpClient Client => fixture.Client;

    private IJobClient Jobs => fixture.Factory.Services.GetRequiredService<IJobClient>();

    /// <summary>A queue no test server works, so its jobs stay where the test put them.</summary>
    private static string IdleQueue(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    [Fact]
    public async Task JobList_ScheduledJob_ShowsItsRowWithLinkAndCheckbox()
    {
        var queue = IdleQueue("list");
        var id = Jobs.Schedule("sleep", null, TimeSpan.FromHours(1), queue);

        var html = await Client.GetPageAsync($"/dashboard/jobs/scheduled?queue={queue}");

        Assert.Equal([id], DashboardPages.JobRowIds(html));
        Assert.Contains($"""<a href="/dashboard/jobs/{id}" data-testid="job-link">#{id}</a>""", html);
        Assert.Contains($"""<input type="checkbox" name="ids" value="{id}" """.TrimEnd(), html);
        Assert.Contains("data-testid=\"requeue-selected\"", html);
        Assert.Contains("data-testid=\"delete-selected\"", html);
    }

    [Fact]
    public async Task JobList_MoreJobsThanAPage_FollowsOlderLinksThroughAllOfThemNewestFirst()
    {
        var queue = IdleQueue("page");
        var ids = Enumerable.Range(0, JobServer.Dashboard.JobPageEndpoints.PageSize + 5)
            .Select(_ => Jobs.Schedule("sleep", null, TimeSpan.FromHours(1), queue))
            .ToList();

        var first = await Client.GetPageAsync($"/dashboard/jobs/scheduled?queue={queue}");
        var older = DashboardPages.OlderLink(first);
        Assert.NotNull(older);
        Assert.Contains("before=", older);
        var second = await Client.GetPageAsync(older);

        var expected = ids.AsEnumerable().Reverse().ToList();
        Assert.Equal(expected.Take(50), DashboardPages.JobRowIds(first));
        Assert.Equal(expected.Skip(50), DashboardPages.JobRowIds(second));
        Assert.Null(DashboardPages.OlderLink(second));
        Assert.Contains($"""<a href="/dashboard/jobs/scheduled?queue={queue}" data-testid="newest-page">""", second);
    }

    [Fact]
    public async Task JobList_FilterByType_ShowsOnlyThatType()
    {
        var queue = IdleQueue("filter");
        Jobs.Schedule("sleep", null, TimeSpan.FromHours(1), queue);
        var record = Jobs.Schedule(TestJobRegistration.Record, null, TimeSpan.FromHours(1), queue);

        var html = await Client.GetPageAsync($"/dashboard/jobs/scheduled?queue={queue}&type={TestJobRegistration.Record}");

        Assert.Equal([record], DashboardPages.JobRowIds(html));
        Assert.Contains($"""value="{TestJobRegistration.Record}" """.TrimEnd(), html);
    }

    [Theory]
    [InlineData("/dashboard/jobs/running", "No such job list")]
    [InlineData("/dashboard/jobs/987654321", "Job not found")]
    public async Task UnknownStateOrJob_Returns404Page(string url, string title)
    {
        var html = await Client.GetPageAsync(url, HttpStatusCode.NotFound);

        Assert.Contains("""data-testid="error" data-status="404">""", html);
        Assert.Contains($"<h1>{title}</h1>", html);
        Assert.Contains("data-testid=\"nav-overview\"", html);
    }

    [Fact]
    public async Task JobDetail_FailedJob_ShowsExceptionMessageAndFullStackTrace()
    {
        var id = Jobs.Enqueue(TestJobRegistration.Fail, new FailArgs { Message = "dashboard boom" });
        await Client.UntilStateAsync(id, "Failed");

        var html = await Client.GetPageAsync($"/dashboard/jobs/{id}");

        Assert.Contains("""<code data-testid="exception-type">System.InvalidOperationException</code>""", html);
        Assert.Contains("""<span data-testid="exception-message">dashboard boom</span>""", html);
        var trace = Regex.Match(html, """<pre class="stack-trace" data-testid="stack-trace">(?<text>[^<]*)</pre>""").Groups["text"].Value;
        Assert.Contains("ThrowFromDeepInside", trace);
        Assert.Contains($"{nameof(FailingJob)}.{nameof(FailingJob.ExecuteAsync)}", trace);
        Assert.Contains("""data-testid="history-entry" data-state="Failed">""", html);
        Assert.Contains("data-testid=\"requeue-job\"", html);
        Assert.Contains("data-testid=\"delete-job\"", html);
        Assert.DoesNotContain("data-poll-url", html);
    }

    [Fact]
    public async Task JobDetail_SucceededJob_ShowsArgsResultAndTimedTimeline()
    {
        var id = Jobs.Enqueue("sleep", new SleepArgs { Ms = 1 });
        await Client.UntilStateAsync(id, "Succeeded");

        var html = await Client.GetPageAsync($"/dashboard/jobs/{id}");

        Assert.Contains("""<dd data-testid="job-type">sleep</dd>""", html);
        Assert.Contains("<pre class=\"json\" data-testid=\"job-args\">{\n  &quot;ms&quot;: 1\n}</pre>", html);
        Assert.Contains("data-testid=\"job-result\">{\n  &quot;slept&quot;: 1\n}</pre>", html);
        var steps = Regex.Matches(html, """data-testid="history-entry" data-state="(\w+)">""").Select(m => m.Groups[1].Value);
        Assert.Equal(["Succeeded", "Processing", "Enqueued"], steps);
        Assert.Equal(2, Regex.Matches(html, """data-testid="history-duration">lasted \d""").Count);
        Assert.Contains($"""<span data-testid="history-server">{fixture.Factory.ServerId}</span>""", html);
    }

    [Fact]
    public async Task JobDetail_ArgsAndMessageWithMarkup_AreHtmlEncoded()
    {
        const string attack = "<script>alert(1)</script>";
        var id = Jobs.Enqueue(TestJobRegistration.Fail, new FailArgs { Message = attack });
        await Client.UntilStateAsync(id, "Failed");

        var html = await Client.GetPageAsync($"/dashboard/jobs/{id}");

        Assert.DoesNotContain("<script>alert", html);
        Assert.Contains("&quot;message&quot;: &quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;", html);
        Assert.Contains("""<span data-testid="exception-message">&lt;script&gt;alert(1)&lt;/script&gt;</span>""", html);
    }
}
