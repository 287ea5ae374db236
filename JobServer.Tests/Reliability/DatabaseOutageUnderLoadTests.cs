using System.Net;
using Hangfire;
using JobServer.Storage.MySql;
using JobServer.Tests.Infrastructure;
using Xunit.Abstractions;

namespace JobServer.Tests.Reliability;

/// <summary>
/// MariaDB stopped and started again while HTTP clients enqueue (<c>POST /api/jobs</c>) and a JobServer process runs
/// the jobs: requests sent while it is down get 503 with Retry-After — never a 500, never a hang — every job that got
/// its 202 exists and runs once, and enqueueing and processing resume by themselves (Hangfire's servers reconnect).
/// On a MariaDB instance of the test's own (<see cref="PrivateMariaDb"/>), so nothing else loses its database.
/// </summary>
[Collection(SerialCollection.Name)]
[Trait("Category", ReliabilityScale.Category)]
public sealed class DatabaseOutageUnderLoadTests(PrivateMariaDb mariaDb, ITestOutputHelper output) : IClassFixture<PrivateMariaDb>
{
    private static readonly ReliabilityScale Scale = ReliabilityScale.Current;

    /// <summary>Each client's pause between requests: steady traffic through the outage, without a backlog.</summary>
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(20);

    /// <summary>Long enough that jobs are running when the database goes away; their outcomes must wait for it.</summary>
    private const int JobMs = 20;

    [Fact]
    public async Task MariaDbStoppedUnderLoad_Answers503ThenResumes_EveryAcceptedJobRunsOnce()
    {
        var database = mariaDb.Database;
        // Hangfire's own timings (heartbeat 10 s, server timeout 1 min): an outage shorter than the server timeout
        // must not make the host's servers take themselves for dead.
        using var server = ChildServer.Start(database.ConnectionString, "outage", new Dictionary<string, string>
        {
            ["JobServer__Servers__0__Name"] = "default",
            ["JobServer__Servers__0__Queues__0"] = "default",
            ["JobServer__Servers__0__Workers"] = "10",
            ["JobServer__HeartbeatInterval"] = "00:00:10",
            ["JobServer__ServerTimeout"] = "00:01:00",
        });
        using var http = await server.CreateReadyClientAsync(HttpLoad.Handler(Scale.OutageClients + 1));
        var storage = new MySqlStorage(database.ConnectionString, new MySqlStorageOptions { PrepareSchemaIfNecessary = false });
        using var stop = new CancellationTokenSource();
        var enqueues = HttpLoad.RunAsync(http, Scale.OutageClients, () => HttpLoad.EnqueueSleep(JobMs), _ => !stop.IsCancellationRequested, Pause);
        var probes = HttpLoad.RunAsync(http, 1, HttpLoad.Health, _ => !stop.IsCancellationRequested, Pause);
        Outage outage;
        DateTime resumed;
        try
        {
            await Eventually.UntilAsync(() => JobOutcomes.Succeeded(storage), n => n >= 100, TimeSpan.FromSeconds(30), "jobs being enqueued and processed");
            outage = await Outage.RunAsync(mariaDb, Scale.Outage);
            resumed = await Eventually.UntilAsync(() => FirstSuccessCreatedAfter(storage, outage.Up), at => at is not null, TimeSpan.FromSeconds(90), "processing to resume") ?? default;
        }
        finally
        {
            await stop.CancelAsync();
        }

        var answers = await enqueues;
        var health = await probes;
        await Eventually.UntilAsync(() => JobOutcomes.Unfinished(storage), n => n == 0, TimeSpan.FromSeconds(120), "every job to finish");
        var accepted = answers.Where(a => a.Accepted).Select(a => a.JobId!).ToList();
        // Every job in the database must have run once: the accepted ones, and any whose commit went through while
        // its answer was lost with the connection (its client got a 503 and may retry: at-least-once at the API).
        var all = AllJobIds(storage);
        var outcomes = JobOutcomes.Read(storage, all.Union(accepted));
        var verdict = RunVerdict.Judge(accepted.Union(all).ToList(), outcomes);
        var unacknowledged = all.Except(accepted).Count();
        var refused = answers.Where(a => a.Status == HttpStatusCode.ServiceUnavailable).ToList();
        var unexpected = answers.Where(a => a.Status is not (HttpStatusCode.Accepted or HttpStatusCode.ServiceUnavailable)).ToList();
        var healthUnexpected = health.Where(a => a.Status is not (HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable)).ToList();
        // Sent while the database was down, so they must be refused: one still waiting when it came back would have hung.
        var duringOutage = answers.Where(a => outage.IsDown(a.SentAt)).ToList();
        var healthDuringOutage = health.Where(a => outage.IsDown(a.SentAt)).ToList();
        var enqueueBack = answers.Where(a => a.Accepted && a.SentAt >= outage.Up).Select(a => a.AnsweredAt).DefaultIfEmpty(DateTime.MaxValue).Min();

        output.WriteLine($"[{Scale.Name}] MariaDB down {outage.Length.TotalSeconds:N1} s (stopping took {outage.StopTook.TotalSeconds:N1} s, starting {outage.StartTook.TotalSeconds:N1} s) " +
                         $"under {Scale.OutageClients} HTTP clients enqueueing sleep {JobMs} ms jobs: {answers.Count:N0} requests, {accepted.Count:N0} accepted (202), " +
                         $"{refused.Count:N0} refused (503, {refused.Count(a => a.HasRetryAfter):N0} with Retry-After), {unexpected.Count} other answers or errors");
        output.WriteLine($"  while down: {duringOutage.Count:N0} enqueue requests, {duringOutage.Count(a => a.Status == HttpStatusCode.ServiceUnavailable):N0} answered 503, " +
                         $"slowest 503 {MaxMs(refused):N0} ms; /health: {healthDuringOutage.Count:N0} probes, {healthDuringOutage.Count(a => a.Status == HttpStatusCode.ServiceUnavailable):N0} answered 503");
        output.WriteLine($"  after the restart: enqueue accepted again after {(enqueueBack - outage.Up).TotalSeconds:N2} s, processing resumed after {(resumed - outage.Up).TotalSeconds:N2} s " +
                         $"(first job created after the restart succeeded)");
        output.WriteLine($"  jobs: {verdict}; in the database although answered 503: {unacknowledged}");
        if (verdict.Problems.Count > 0 || unexpected.Count > 0)
        {
            output.WriteLine($"  the server's last output:\n{server.RecentOutput}");
        }

        Assert.True(unexpected.Count == 0, "answers other than 202/503: " + string.Join("; ", unexpected.Take(5)));
        Assert.True(healthUnexpected.Count == 0, "/health answers other than 200/503: " + string.Join("; ", healthUnexpected.Take(5)));
        Assert.All(refused, a => Assert.True(a.HasRetryAfter, $"503 without Retry-After: {a}"));
        Assert.NotEmpty(duringOutage);
        Assert.All(duringOutage, a => Assert.Equal(HttpStatusCode.ServiceUnavailable, a.Status));
        Assert.Equal(HttpStatusCode.OK, health.MaxBy(a => a.SentAt)!.Status);
        Assert.NotEqual(DateTime.MaxValue, enqueueBack);
        verdict.AssertClean();
        Assert.InRange(unacknowledged, 0, refused.Count);
    }

    /// <summary>When the first job created after <paramref name="after"/> succeeded (its success less its latency and
    /// duration is its creation); null while none has.</summary>
    private static DateTime? FirstSuccessCreatedAfter(JobStorage storage, DateTime after)
    {
        try
        {
            var succeeded = storage.GetMonitoringApi().SucceededJobs(0, 50);
            return succeeded.Select(j => j.Value).Where(j => j.SucceededAt is not null && j.SucceededAt.Value - TimeSpan.FromMilliseconds(j.TotalDuration ?? 0) >= after)
                .Select(j => j.SucceededAt).Min();
        }
        catch (MySqlConnector.MySqlException)
        {
            return null;
        }
    }

    /// <summary>Every job in the database once nothing runs: each is Succeeded, Failed or Deleted.</summary>
    private static HashSet<string> AllJobIds(JobStorage storage)
    {
        var monitoring = storage.GetMonitoringApi();
        return monitoring.SucceededJobs(0, int.MaxValue).Select(j => j.Key)
            .Concat(monitoring.FailedJobs(0, int.MaxValue).Select(j => j.Key))
            .Concat(monitoring.DeletedJobs(0, int.MaxValue).Select(j => j.Key))
            .ToHashSet();
    }

    private static double MaxMs(IEnumerable<Answer> answers) => answers.Select(a => a.Took.TotalMilliseconds).DefaultIfEmpty().Max();
}
