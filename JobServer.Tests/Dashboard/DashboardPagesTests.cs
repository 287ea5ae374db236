using System.Net;
using System.Text.Json;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using JobServer.Jobs;
using JobServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;
using static JobServer.Tests.Dashboard.DashboardClient;

namespace JobServer.Tests.Dashboard;

/// <summary>
/// Every page of Hangfire's dashboard through the real host on our storage, with a job in each state (one running on
/// this host's server), a retry, a continuation and a recurring job: each answers 200 and shows its jobs; none shows
/// the storage's connection string.
/// </summary>
public sealed class DashboardPagesTests(DashboardPagesTests.SeededHost seeded) : IClassFixture<DashboardPagesTests.SeededHost>
{
    public static TheoryData<string> Pages { get; } = new()
    {
        "/", "/jobs/enqueued", "/jobs/enqueued/" + DashboardHost.IdleQueue, "/jobs/enqueued/fetched/" + DashboardHost.IdleQueue,
        "/jobs/scheduled", "/jobs/processing", "/jobs/succeeded", "/jobs/failed", "/jobs/deleted", "/jobs/awaiting",
        "/retries", "/recurring", "/servers", "/bulk-inserts", "/jobs/details/{succeeded}", "/jobs/details/{failed}",
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Page_WithJobsInEveryState_200WithTheJobsOfThatPage(string route)
    {
        var html = await seeded.Client.GetPageAsync("/hangfire" + seeded.Resolve(route));

        foreach (var expected in seeded.ExpectedOn(route))
        {
            Assert.Contains(expected, html);
        }

        Assert.Contains("""<a class="navbar-brand" href="/hangfire/">JobServer</a>""", html);
        Assert.Contains("""href="/hangfire/bulk-inserts""", html);
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Page_Any_NeverShowsTheConnectionString(string route)
    {
        var html = await seeded.Client.GetPageAsync("/hangfire" + seeded.Resolve(route));
        var connection = new MySqlConnectionStringBuilder(seeded.Database.ConnectionString);

        foreach (var secret in new[] { connection.ConnectionString, "Password=", "Pwd=", "User ID=", $"Port={connection.Port}", connection.Password })
        {
            Assert.DoesNotContain(secret, html, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task JobDetails_FailedJob_ShowsTheExceptionAndItsStackTrace()
    {
        var html = await seeded.Client.GetPageAsync($"/hangfire/jobs/details/{seeded.Failed}");

        Assert.Contains("System.InvalidOperationException", html);
        Assert.Contains(SeededHost.FailureMessage, html);
        // Hangfire marks the frames up in spans (or, when its formatter times out, writes the plain text): read the text.
        Assert.Contains("at JobServer.Jobs.FailJob.Run(FailArguments args, CancellationToken cancellationToken)", DashboardClient.Text(html));
    }

    [Fact]
    public async Task Stats_Poll_AnswersTheCounters()
    {
        string[] metrics = ["enqueued-queues:count", "scheduled:count", "processing:count", "succeeded:count", "failed:count", "deleted:count",
            "awaiting:count", "retries:count", "recurring:count", "servers:count"];

        using var response = await seeded.Client.PostWithTokenAsync("/hangfire/stats", metrics.Select(m => Field("metrics[]", m)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        foreach (var metric in metrics)
        {
            Assert.True(json.RootElement.GetProperty(metric).GetProperty("intValue").GetInt64() >= 1, $"{metric} counts the seeded job");
        }
    }

    /// <summary>One host and one database for the class, with its jobs created once.</summary>
    public sealed class SeededHost : IAsyncLifetime
    {
        public const string FailureMessage = "Payment provider did not answer";

        private DashboardHost _host = null!;

        public TestDatabase Database { get; } = new();

        public HttpClient Client => _host.Client;

        public string Enqueued { get; private set; } = "";
        public string Scheduled { get; private set; } = "";
        public string Processing { get; private set; } = "";
        public string Succeeded { get; private set; } = "";
        public string Failed { get; private set; } = "";
        public string Deleted { get; private set; } = "";
        public string Awaiting { get; private set; } = "";
        public string Retry { get; private set; } = "";
        public string RecurringId { get; } = "dashboard-pages-report";

        public async Task InitializeAsync()
        {
            await Database.InitializeAsync();
            _host = await DashboardHost.StartAsync(Database);
            var client = _host.Factory.Client;
            Enqueued = client.Create(DashboardHost.Job("sleep", """{"ms":1}"""), new EnqueuedState(DashboardHost.IdleQueue));
            Scheduled = client.Create(DashboardHost.Job("sleep", """{"ms":2}"""), new ScheduledState(TimeSpan.FromHours(1)));
            Awaiting = client.Create(DashboardHost.Job("sleep", """{"ms":3}"""), new AwaitingState(Scheduled));
            Deleted = client.Create(DashboardHost.Job("sleep", """{"ms":4}"""), new EnqueuedState(DashboardHost.IdleQueue));
            client.Delete(Deleted);
            Succeeded = client.Create(DashboardHost.Job("sleep", """{"ms":5}"""), new EnqueuedState());
            Failed = client.Create(DashboardHost.Job("fail", $$"""{"message":"{{FailureMessage}}"}"""), new EnqueuedState());
            // Long enough to still run while the pages are read; deleting it at the end cancels it.
            Processing = client.Create(DashboardHost.Job("sleep", """{"ms":600000}"""), new EnqueuedState());
            // Built past the registry: invalid arguments fail the run, and the bulk insert's retry policy schedules a retry.
            Retry = client.Create(Job.FromExpression<BulkInsertJob>(x => x.Run(new BulkInsertArguments { Rows = 0, Project = "retried" }, null, CancellationToken.None)), new EnqueuedState());
            _host.Factory.Services.GetRequiredService<IRecurringJobManager>().AddOrUpdate(RecurringId, DashboardHost.Job("sleep", """{"ms":6}"""), Cron.Daily(6));

            using var connection = _host.Factory.Storage.GetConnection();
            string State(string id) => connection.GetStateData(id)?.Name ?? "";
            await Eventually.UntilAsync(() => (State(Succeeded), State(Failed), State(Processing), State(Retry)),
                s => s == (SucceededState.StateName, FailedState.StateName, ProcessingState.StateName, ScheduledState.StateName),
                TimeSpan.FromSeconds(30), "the seeded jobs to reach their states");
        }

        public string Resolve(string route) => route.Replace("{succeeded}", Succeeded).Replace("{failed}", Failed);

        /// <summary>What each page must show of the seeded data: links to its jobs, names, the server.</summary>
        public IEnumerable<string> ExpectedOn(string route) => route switch
        {
            "/" => ["Realtime Graph", "JobServer"],
            "/jobs/enqueued" => [DashboardHost.IdleQueue, "default"],
            "/jobs/enqueued/" + DashboardHost.IdleQueue => [Link(Enqueued), "sleep 1 ms"],
            "/jobs/enqueued/fetched/" + DashboardHost.IdleQueue => [],
            "/jobs/scheduled" => [Link(Scheduled), Link(Retry)],
            "/jobs/processing" => [Link(Processing), "sleep 600000 ms", _host.Factory.ServerName],
            "/jobs/succeeded" => [Link(Succeeded), "sleep 5 ms"],
            "/jobs/failed" => [Link(Failed), FailureMessage],
            "/jobs/deleted" => [Link(Deleted)],
            "/jobs/awaiting" => [Link(Awaiting), Link(Scheduled)],
            "/retries" => [Link(Retry), "bulk-insert: 0 rows into retried"],
            "/recurring" => [RecurringId, "0 6 * * *"],
            "/servers" => [_host.Factory.ServerName + ":default", _host.Factory.ServerName + ":cpu"],
            "/bulk-inserts" => [Link(Retry), "retried"],
            "/jobs/details/{succeeded}" => ["Succeeded", "sleep 5 ms", "{&quot;slept&quot;:5}"],
            "/jobs/details/{failed}" => ["Failed", FailureMessage],
            _ => throw new ArgumentOutOfRangeException(nameof(route), route, "no expectation for this page"),
        };

        private static string Link(string id) => $"/hangfire/jobs/details/{id}\"";

        public async Task DisposeAsync()
        {
            _host.Factory.Client.Delete(Processing);
            await _host.DisposeAsync();
            await Database.DisposeAsync();
        }
    }
}
