using System.Net;
using JobServer.Tests.Infrastructure;
using Xunit.Abstractions;

namespace JobServer.Tests.Reliability;

/// <summary>
/// MariaDB stopped and started again while HTTP clients enqueue and a JobServer process works: the API answers 503
/// with Retry-After instead of failing or hanging, /health says the database is down, no job that got its 202 is
/// lost or run twice, and enqueueing and processing resume by themselves.
/// </summary>
[Collection(SerialCollection.Name)]
[Trait("Category", ReliabilityScale.Category)]
public sealed class DatabaseOutageUnderLoadTests(TestDatabase database, ITestOutputHelper output) : IClassFixture<TestDatabase>
{
    private static readonly ReliabilityScale Scale = ReliabilityScale.Current;

    /// <summary>Each client's pause between requests: steady traffic through the outage, without a backlog.</summary>
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(20);

    /// <summary>Long enough that jobs are running when the database goes away; their outcomes must wait for it.</summary>
    private const int JobMs = 20;

    [Fact]
    public async Task MariaDbStoppedUnderLoad_Answers503ThenResumes_NoAcceptedJobLostOrRepeated()
    {
        database.Reset();
        using var server = ChildServer.Start(database.ConnectionString, "outage");
        using var http = await server.CreateReadyClientAsync(HttpLoad.Handler(Scale.OutageClients + 1));
        using var stop = new CancellationTokenSource();
        var enqueues = HttpLoad.RunAsync(http, Scale.OutageClients, () => HttpLoad.EnqueueSleep(JobMs), _ => !stop.IsCancellationRequested, Pause);
        var probes = HttpLoad.RunAsync(http, 1, HttpLoad.Health, _ => !stop.IsCancellationRequested, Pause);
        Outage outage;
        DateTime resumed;
        try
        {
            await Eventually.UntilAsync(() => JobRecords.Succeeded(database), n => n >= 100, TimeSpan.FromSeconds(30), "jobs being enqueued and processed");
            outage = await Outage.RunAsync(Scale.Outage);
            resumed = await Eventually.UntilAsync(() => JobRecords.FirstSuccessStartedAfter(database, outage.Up), at => at is not null, TimeSpan.FromSeconds(60), "processing to resume") ?? default;
        }
        finally
        {
            await stop.CancelAsync();
        }

        var answers = await enqueues;
        var health = await probes;
        await JobRecords.UntilAllFinishedAsync(database, TimeSpan.FromSeconds(120)); // the verdict names any that did not
        var records = JobRecords.ReadAll(database);
        var accepted = answers.Where(a => a.Accepted).Select(a => a.JobId!.Value).ToList();
        // Everything in the database must have run once: the accepted jobs, and any whose commit succeeded while its
        // answer was lost with the connection (its client got a 503 and may retry: at-least-once at the API).
        var verdict = ExactlyOnceVerdict.Judge(accepted.Union(records.Keys).ToList(), records);
        var unacknowledged = records.Keys.Except(accepted).Count();
        var refused = answers.Where(a => a.Status == HttpStatusCode.ServiceUnavailable).ToList();
        var unexpected = answers.Concat(health).Where(a => a.Status is not (HttpStatusCode.Accepted or HttpStatusCode.ServiceUnavailable or HttpStatusCode.OK)).ToList();
        // Sent while the database was down, so they must be refused: one still waiting when it came back would have hung.
        var duringOutage = answers.Where(a => outage.IsDown(a.SentAt)).ToList();
        var healthDuringOutage = health.Where(a => outage.IsDown(a.SentAt)).ToList();
        var enqueueBack = answers.Where(a => a.Accepted && a.SentAt >= outage.Up).Min(a => a.AnsweredAt) - outage.Up;

        output.WriteLine($"[{Scale.Name}] MariaDB down {outage.Length.TotalSeconds:N1} s (stopping took {outage.StopTook.TotalSeconds:N1} s, starting {outage.StartTook.TotalSeconds:N1} s) " +
                         $"under {Scale.OutageClients} HTTP clients enqueueing sleep {JobMs} ms jobs: {answers.Count:N0} requests, {accepted.Count:N0} accepted (202), " +
                         $"{refused.Count:N0} refused (503, {refused.Count(a => a.HasRetryAfter):N0} with Retry-After), {unexpected.Count} other answers or errors");
        output.WriteLine($"  while down: {duringOutage.Count:N0} enqueue requests, {duringOutage.Count(a => a.Status == HttpStatusCode.ServiceUnavailable):N0} answered 503, " +
                         $"slowest 503 {MaxMs(refused):N0} ms; /health: {healthDuringOutage.Count:N0} probes, {healthDuringOutage.Count(a => a.Status == HttpStatusCode.ServiceUnavailable):N0} answered 503");
        output.WriteLine($"  after the restart: enqueue accepted again after {enqueueBack.TotalSeconds:N2} s, processing resumed after {(resumed - outage.Up).TotalSeconds:N2} s " +
                         $"(first job started after the restart finished)");
        output.WriteLine($"  jobs: {verdict}; committed although answered 503: {unacknowledged}");

        Assert.True(unexpected.Count == 0, "answers other than 202/503/200: " + string.Join("; ", unexpected.Take(5)));
        Assert.All(refused, a => Assert.True(a.HasRetryAfter, $"503 without Retry-After: {a}"));
        Assert.NotEmpty(duringOutage);
        Assert.All(duringOutage, a => Assert.Equal(HttpStatusCode.ServiceUnavailable, a.Status));
        Assert.NotEmpty(healthDuringOutage);
        Assert.All(healthDuringOutage, a => Assert.Equal(HttpStatusCode.ServiceUnavailable, a.Status));
        Assert.Equal(HttpStatusCode.OK, health.MaxBy(a => a.SentAt)!.Status);
        if (verdict.Problems.Count > 0)
        {
            using var check = await http.GetAsync("/health");
            output.WriteLine($"  /health now: {(int)check.StatusCode}; the server's last warnings:\n{server.RecentOutput}");
        }

        verdict.AssertClean();
        Assert.InRange(unacknowledged, 0, refused.Count);
    }

    private static double MaxMs(IEnumerable<Answer> answers) => answers.Select(a => a.Took.TotalMilliseconds).DefaultIfEmpty().Max();
}
