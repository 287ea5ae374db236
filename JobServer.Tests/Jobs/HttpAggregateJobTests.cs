using System.Text.Json;
using JobServer.Engine;
using JobServer.Engine.States;
using JobServer.Jobs.HttpAggregate;
using JobServer.Storage;
using JobServer.Tests.Infrastructure;
using Xunit.Abstractions;

namespace JobServer.Tests.Jobs;

/// <summary>The shipped http-aggregate job, run by a real engine on the real database against a real local HTTP server.</summary>
public sealed class HttpAggregateJobTests(TestDatabase database, ITestOutputHelper output) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private TestEngine _engine = null!;
    private SlowEndpoint _endpoint = null!;

    public async Task InitializeAsync()
    {
        database.Reset();
        _engine = await TestEngine.Create(database.ConnectionString).StartAsync();
        _endpoint = await SlowEndpoint.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _engine.DisposeAsync();
        await _endpoint.DisposeAsync();
    }

    [Fact]
    public async Task Execute_TenOneSecondUrlsAtParallelismTen_AllAnswerJsonAndRunConcurrently()
    {
        var urls = Enumerable.Range(0, 10).Select(i => _endpoint.Slow(i, delayMs: 1000)).ToArray();

        var id = _engine.Client.Enqueue(HttpAggregateJob.TypeName, new HttpAggregateArgs { Urls = urls, MaxParallelism = 10 });
        var (job, result) = await WaitForResultAsync(id);

        var entries = result.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(10, entries.Count);
        for (var i = 0; i < urls.Length; i++)
        {
            Assert.Equal(urls[i], entries[i].GetProperty("url").GetString());
            Assert.Equal(200, entries[i].GetProperty("status").GetInt32());
            Assert.Equal(i, entries[i].GetProperty("body").GetProperty("index").GetInt32());
            Assert.Equal(JsonValueKind.Null, entries[i].GetProperty("error").ValueKind);
        }

        Assert.Equal(0, result.GetProperty("failed").GetInt32());

        // Concurrency proven by what the server saw, not by a stopwatch.
        Assert.True(_endpoint.MaxInFlight >= 8, $"at most {_endpoint.MaxInFlight} requests were in flight at once");

        // A figure for the README, deliberately not asserted.
        var ran = job.Summary.FinishedAt!.Value - job.Summary.StartedAt!.Value;
        output.WriteLine($"10 x 1 s calls: job ran {ran.TotalSeconds:0.000} s (startedAt..finishedAt), totalMs {result.GetProperty("totalMs").GetInt64()}");
    }

    [Fact]
    public async Task Execute_MaxParallelismTwo_NeverMoreThanTwoInFlight()
    {
        var urls = Enumerable.Range(0, 6).Select(i => _endpoint.Slow(i, delayMs: 300)).ToArray();

        var id = _engine.Client.Enqueue(HttpAggregateJob.TypeName, new HttpAggregateArgs { Urls = urls, MaxParallelism = 2 });
        var (_, result) = await WaitForResultAsync(id);

        Assert.All(result.GetProperty("results").EnumerateArray(), e => Assert.Equal(200, e.GetProperty("status").GetInt32()));
        Assert.Equal(6, _endpoint.Requests);
        Assert.InRange(_endpoint.MaxInFlight, 1, 2);
    }

    [Fact]
    public async Task Execute_UrlSlowerThanTimeout_ReportsTimeoutInItsEntryAndSucceeds()
    {
        string[] urls = [_endpoint.Slow(0, delayMs: 0), _endpoint.Slow(1, delayMs: 30_000)];

        var id = _engine.Client.Enqueue(HttpAggregateJob.TypeName, new HttpAggregateArgs { Urls = urls, TimeoutMs = 300 });
        var (_, result) = await WaitForResultAsync(id);

        var entries = result.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(200, entries[0].GetProperty("status").GetInt32());
        Assert.Equal(JsonValueKind.Null, entries[1].GetProperty("status").ValueKind);
        Assert.Equal(JsonValueKind.Null, entries[1].GetProperty("body").ValueKind);
        Assert.Equal("timed out after 300 ms", entries[1].GetProperty("error").GetString());
        Assert.Equal(1, result.GetProperty("failed").GetInt32());
    }

    [Fact]
    public async Task Execute_TextErrorStatusAndRefusedConnection_EachReportedInItsEntry()
    {
        // Port 1 on loopback: nothing listens there, so the connection is refused.
        string[] urls = [_endpoint.Text(5_000), _endpoint.Status(500), "http://127.0.0.1:1/"];

        var id = _engine.Client.Enqueue(HttpAggregateJob.TypeName, new HttpAggregateArgs { Urls = urls });
        var (_, result) = await WaitForResultAsync(id);

        var entries = result.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(200, entries[0].GetProperty("status").GetInt32());
        Assert.Equal(new string('x', 2_000), entries[0].GetProperty("body").GetString());
        Assert.Equal(JsonValueKind.Null, entries[0].GetProperty("error").ValueKind);

        Assert.Equal(500, entries[1].GetProperty("status").GetInt32());
        Assert.Equal(500, entries[1].GetProperty("body").GetProperty("status").GetInt32());
        Assert.Equal("HTTP 500 Internal Server Error", entries[1].GetProperty("error").GetString());

        Assert.Equal(JsonValueKind.Null, entries[2].GetProperty("status").ValueKind);
        Assert.False(string.IsNullOrEmpty(entries[2].GetProperty("error").GetString()));
        Assert.Equal(2, result.GetProperty("failed").GetInt32());
    }

    [Fact]
    public async Task Delete_WhileCallsInFlight_AbortsTheCallsAndEndsDeleted()
    {
        var urls = Enumerable.Range(0, 3).Select(i => _endpoint.Slow(i, delayMs: 60_000)).ToArray();
        var id = _engine.Client.Enqueue(HttpAggregateJob.TypeName, new HttpAggregateArgs { Urls = urls, TimeoutMs = 60_000 });
        await Eventually.UntilAsync(() => _endpoint.InFlight == 3, what: "all three calls in flight");

        Assert.Equal(ChangeOutcome.Changed, _engine.Client.Delete(id).Outcome);

        // The server sees the callers hang up: the job's cancellation reached the HTTP calls themselves.
        await Eventually.UntilAsync(() => _endpoint.InFlight == 0, what: "the calls to be aborted");
        var job = await Eventually.UntilAsync(() => _engine.Reader.GetJob(id)!, j => j.Summary.State == JobState.Deleted, what: "job deleted");
        Assert.DoesNotContain(JobState.Succeeded, job.History.Select(h => h.State));
    }

    [Fact]
    public void Enqueue_FtpUrl_IsRefusedNamingTheField()
    {
        var ex = Assert.Throws<JobValidationException>(() =>
            _engine.Client.Enqueue(HttpAggregateJob.TypeName, new HttpAggregateArgs { Urls = ["http://ok.example/", "ftp://x"] }));

        Assert.Equal("args.urls[1]", ex.Field);
    }

    private async Task<(JobDetails Job, JsonElement Result)> WaitForResultAsync(long id)
    {
        var job = await Eventually.UntilAsync(
            () => _engine.Reader.GetJob(id)!,
            // Scheduled too: a failed attempt goes straight to its retry, and the test should fail now, not at the deadline.
            j => j.Summary.State is JobState.Succeeded or JobState.Failed or JobState.Scheduled or JobState.Deleted,
            TimeSpan.FromSeconds(30),
            $"job {id} to finish");
        Assert.Equal(JobState.Succeeded, job.Summary.State);
        return (job, JsonDocument.Parse(job.ResultJson!).RootElement);
    }
}
