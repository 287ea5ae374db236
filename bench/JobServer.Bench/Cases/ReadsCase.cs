using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Hangfire;
using Hangfire.States;
using Hangfire.Storage;
using JobServer.Api;
using JobServer.Bench.Storages;
using JobServer.Dashboard;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace JobServer.Bench.Cases;

/// <summary>
/// Server time of Hangfire's dashboard pages, and of the <c>/stats</c> POST its pages poll, with a large history
/// (<c>--jobs</c> Succeeded plus a tenth as many Failed): a Kestrel-hosted dashboard on the storage, set up as the host
/// sets it up (its access filter, antiforgery, the progress renderer), timed by the host's Server-Timing middleware so
/// the client and the loopback are left out. Every page of Hangfire's dashboard is timed (its home page with the
/// realtime and history graphs, each state's job list incl. a deep page of Succeeded, a queue's enqueued and fetched
/// jobs, job details, retries, recurring, servers), with a page of live jobs in each otherwise empty list. Then the
/// monitoring calls behind the pages, timed directly. Pages over 50 ms median and a /stats over 10 ms are named.
/// </summary>
internal sealed partial class ReadsCase(BenchOptions options) : IBenchCase
{
    private const string DashboardPath = "/hangfire";
    private const int LiveJobsPerList = 50;
    private const double PageTargetMs = 50;
    private const double StatsTargetMs = 10;

    public string Name => "reads";

    public async Task<IReadOnlyList<BenchGroup>> RunAsync(StorageUnderTest storageUnderTest)
    {
        if (!storageUnderTest.SeedsDashboardHistory)
        {
            Console.WriteLine("  n/a: the history is seeded set-based on ours only; through Hangfire's client it takes minutes on a peer");
            return [];
        }

        var succeeded = options.HistoryJobs;
        var failed = Math.Max(1, succeeded / 10);
        await storageUnderTest.ResetAsync();
        var storage = storageUnderTest.CreateStorage();
        try
        {
            await storageUnderTest.SeedHistoryAsync(storage, succeeded, failed);
            var monitoring = storage.GetMonitoringApi();
            var statistics = monitoring.GetStatistics();
            // The dashboard's Failed figure may stop counting at the storage's limit (ours: DashboardJobListLimit).
            var failedShown = storageUnderTest.FailedCountLimit is { } limit ? Math.Min(failed, limit) : failed;
            if (statistics.Succeeded != succeeded || statistics.Failed != failedShown)
            {
                throw new InvalidOperationException($"Seeded {succeeded:N0} Succeeded and {failed:N0} Failed jobs (Failed shown as {failedShown:N0}), but the storage counts {statistics.Succeeded:N0} and {statistics.Failed:N0}.");
            }

            var others = SeedLiveJobs(storage);
            var someSucceeded = monitoring.SucceededJobs(0, 1).Single().Key;
            var someFailed = monitoring.FailedJobs(0, 1).Single().Key;
            var pages = await TimePagesAsync(storage, someSucceeded, someFailed, others.Awaiting, succeeded);
            var calls = TimeStorageCalls(storage, someSucceeded, succeeded);
            var history = $"{succeeded:N0} Succeeded + {failed:N0} Failed jobs";
            return
            [
                new BenchGroup($"Dashboard server time with {history} (ms), {storageUnderTest.Name}", pages),
                new BenchGroup($"Storage calls with {history} (ms), {storageUnderTest.Name}", calls),
            ];
        }
        finally
        {
            (storage as IDisposable)?.Dispose();
        }
    }

    /// <summary>
    /// A page of each list that the history leaves empty, so every page renders rows: enqueued (and fetched) jobs on
    /// <c>default</c>, scheduled, awaiting (continuations of a scheduled parent), deleted and processing jobs, retries,
    /// recurring jobs and one announced server, all through Hangfire's client and connection, written after the
    /// history so its counts stay checked. No server runs, so none of them moves.
    /// </summary>
    private static (string Awaiting, string Processing) SeedLiveJobs(JobStorage storage)
    {
        var client = new BackgroundJobClient(storage);
        var recurring = new RecurringJobManager(storage);
        string awaiting = "", processing = "";
        for (var i = 0; i < LiveJobsPerList; i++)
        {
            client.Enqueue<NoopJob>(x => x.Run(i));
            var parent = client.Schedule<NoopJob>(x => x.Run(i), TimeSpan.FromDays(1));
            awaiting = client.ContinueJobWith<NoopJob>(parent, x => x.Run(i));
            client.Create<NoopJob>(x => x.Run(i), new DeletedState());
            processing = client.Create<NoopJob>(x => x.Run(i), new SeededProcessingState("bench-reads-server", "worker-" + i));
            var retry = client.Create<NoopJob>(x => x.Run(i), new ScheduledState(TimeSpan.FromDays(1)));
            using (var connection = storage.GetConnection())
            using (var transaction = connection.CreateWriteTransaction())
            {
                transaction.AddToSet("retries", retry);
                transaction.Commit();
            }

            recurring.AddOrUpdate<NoopJob>($"bench-{i}", x => x.Run(i), Cron.Daily());
        }

        using (var connection = storage.GetConnection())
        {
            connection.AnnounceServer("bench-reads-server", new Hangfire.Server.ServerContext { Queues = ["default"], WorkerCount = 20 });
        }

        return (awaiting, processing);
    }

    private async Task<List<BenchResult>> TimePagesAsync(JobStorage storage, string succeededId, string failedId, string awaitingId, int succeeded)
    {
        await using var app = BuildDashboard(storage);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var http = new HttpClient { BaseAddress = new Uri(address) };

        // Hangfire's deepest page of a long list is reached by its pager: from = offset of the page's first job.
        var deep = Math.Max(0, Math.Min(succeeded, 10_000) - 20);
        string[] paths =
        [
            "", "/jobs/enqueued", "/jobs/processing", "/jobs/scheduled", "/jobs/succeeded",
            $"/jobs/succeeded?from={deep}&count=20", "/jobs/failed", "/jobs/deleted", "/jobs/awaiting",
            "/jobs/enqueued/default", "/jobs/enqueued/fetched/default",
            $"/jobs/details/{succeededId}", $"/jobs/details/{failedId}", $"/jobs/details/{awaitingId}", "/retries", "/recurring", "/servers",
        ];
        var results = new List<BenchResult>();
        foreach (var path in paths)
        {
            results.Add(await TimeAsync($"GET {DashboardPath}{path}", () => http.GetAsync(DashboardPath + path)));
        }

        // The stats poll is a form POST carrying the antiforgery token the layout put in its meta tag (and its cookie).
        var home = await http.GetStringAsync(DashboardPath);
        var header = CsrfHeader().Match(home).Groups[1].Value;
        var token = CsrfToken().Match(home).Groups[1].Value;
        string[] metrics = ["enqueued:count", "processing:count", "scheduled:count", "succeeded:count", "failed:count", "deleted:count", "awaiting:count", "retries:count", "recurring:count", "servers:count"];
        results.Add(await TimeAsync($"POST {DashboardPath}/stats ({metrics.Length} metrics)", () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, DashboardPath + "/stats")
            {
                Content = new FormUrlEncodedContent(metrics.Select(m => KeyValuePair.Create("metrics[]", m))),
            };
            if (header.Length > 0) request.Headers.Add(header, token);
            return http.SendAsync(request);
        }));
        await app.StopAsync();
        foreach (var slow in results.Where(r => r.Value > (r.Case.Contains("/stats", StringComparison.Ordinal) ? StatsTargetMs : PageTargetMs)))
        {
            Console.WriteLine($"  over target ({(slow.Case.Contains("/stats", StringComparison.Ordinal) ? StatsTargetMs : PageTargetMs):N0} ms median): {slow.Case} {slow.Value:N1} ms");
        }

        return results;
    }

    private async Task<BenchResult> TimeAsync(string name, Func<Task<HttpResponseMessage>> send)
    {
        var times = new List<double>();
        for (var i = -3; i < options.Requests; i++)
        {
            using var response = await send();
            await response.Content.ReadAsByteArrayAsync();
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{name}: HTTP {(int)response.StatusCode}");
            if (i >= 0) times.Add(ServerMilliseconds(response));
        }

        return new BenchResult(name, "ms", Stats.Median(times)) { Max = times.Max() };
    }

    /// <summary>The monitoring API's calls behind the pages, and the connection's per-job reads, without HTTP or rendering.</summary>
    private List<BenchResult> TimeStorageCalls(JobStorage storage, string jobId, int succeeded)
    {
        var monitoring = storage.GetMonitoringApi();
        using var connection = storage.GetConnection();
        var deep = Math.Max(0, Math.Min(succeeded, 10_000) - 20);
        (string, Action)[] calls =
        [
            ("monitoring GetStatistics", () => monitoring.GetStatistics()),
            ("monitoring SucceededJobs(0, 20)", () => monitoring.SucceededJobs(0, 20)),
            ($"monitoring SucceededJobs({deep:N0}, 20)", () => monitoring.SucceededJobs(deep, 20)),
            ("monitoring SucceededListCount", () => monitoring.SucceededListCount()),
            ("monitoring FailedJobs(0, 20)", () => monitoring.FailedJobs(0, 20)),
            ("monitoring FailedCount", () => monitoring.FailedCount()),
            ("monitoring JobDetails", () => monitoring.JobDetails(jobId)),
            ("monitoring Queues", () => monitoring.Queues()),
            ("monitoring HourlySucceededJobs", () => monitoring.HourlySucceededJobs()),
            ("monitoring SucceededByDatesCount", () => monitoring.SucceededByDatesCount()),
            ("connection GetJobData", () => connection.GetJobData(jobId)),
            ("connection GetStateData", () => connection.GetStateData(jobId)),
        ];
        var results = new List<BenchResult>();
        foreach (var (name, call) in calls)
        {
            var times = new List<double>();
            for (var i = -3; i < options.Requests; i++)
            {
                var started = Stopwatch.GetTimestamp();
                call();
                if (i >= 0) times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            results.Add(new BenchResult(name, "ms", Stats.Median(times)) { Max = times.Max() });
        }

        return results;
    }

    /// <summary>Hangfire's dashboard as <c>MapJobServer</c> maps it (access filter, antiforgery, options), on Kestrel at a free port.</summary>
    private static WebApplication BuildDashboard(JobStorage storage)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        // AddHangfire's configuration callback would install a log provider bound to this short-lived host; keep the bench's.
        builder.Services.AddHangfire((_, configuration) => configuration.UseLogProvider(new Hosting.HostLogProvider(BenchHangfire.Logging)));
        builder.Services.AddAntiforgery();
        var app = builder.Build();
        app.UseServerTiming();
        var dashboard = new JobServerDashboardOptions();
        app.MapHangfireDashboard(DashboardPath, new DashboardOptions
        {
            DashboardTitle = dashboard.Title,
            AppPath = null,
            DisplayStorageConnectionString = false,
            StatsPollingInterval = dashboard.StatsPollingInterval,
            IsReadOnlyFunc = _ => dashboard.ReadOnly,
            Authorization = [],
            AsyncAuthorization = [new DashboardAccessFilter(dashboard)],
        }, storage);
        return app;
    }

    private static double ServerMilliseconds(HttpResponseMessage response)
    {
        var header = response.Headers.TryGetValues("Server-Timing", out var values) ? values.First() : "";
        var dur = header.Split(';').FirstOrDefault(p => p.StartsWith("dur=", StringComparison.Ordinal));
        return dur is null ? throw new InvalidOperationException("No Server-Timing header.") : double.Parse(dur[4..], CultureInfo.InvariantCulture);
    }

    [GeneratedRegex("""<meta name="csrf-header" content="([^"]*)">""")]
    private static partial Regex CsrfHeader();

    [GeneratedRegex("""<meta name="csrf-token" content="([^"]*)">""")]
    private static partial Regex CsrfToken();

    /// <summary>A Processing state as a worker records it (Hangfire's own constructor is internal: only workers enter it),
    /// so the Processing list has rows without a server running them.</summary>
    private sealed class SeededProcessingState(string serverId, string workerId) : IState
    {
        public string Name => ProcessingState.StateName;

        public string? Reason => null;

        public bool IsFinal => false;

        public bool IgnoreJobLoadException => false;

        public Dictionary<string, string> SerializeData() => new()
        {
            ["StartedAt"] = Hangfire.Common.JobHelper.SerializeDateTime(DateTime.UtcNow),
            ["ServerId"] = serverId,
            ["WorkerId"] = workerId,
        };
    }
}
