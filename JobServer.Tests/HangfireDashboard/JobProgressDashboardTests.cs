using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hangfire;
using Hangfire.States;
using JobServer.Jobs;
using JobServer.Storage.MySql;
using JobServer.Tests.Infrastructure;

namespace JobServer.Tests.HangfireDashboard;

/// <summary>
/// Hangfire's real dashboard on Kestrel over our storage, with the progress extension registered: the job details page
/// shows the bar from the job's <c>progress</c> parameter, and the route its script polls answers the current figures.
/// </summary>
public sealed class JobProgressDashboardTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private MySqlStorage _storage = null!;
    private HangfireDashboardApp _dashboard = null!;

    private HttpClient Http => _dashboard.Http;

    public static void Nothing()
    {
    }

    public async Task InitializeAsync()
    {
        _storage = new MySqlStorage(database.ConnectionString);
        _dashboard = await HangfireDashboardApp.StartAsync(_storage);
    }

    public async Task DisposeAsync()
    {
        await _dashboard.DisposeAsync();
        _storage.Dispose();
    }

    [Fact]
    public async Task JobDetails_JobReportingProgress_ShowsTheBarAndLoadsTheRefreshScript()
    {
        var id = CreateJobWithProgress(40_000, 100_000);

        var page = await Http.GetStringAsync($"/hangfire/jobs/details/{id}");

        Assert.Contains("jobserver-progress", page);
        Assert.Contains($"data-progress-url=\"/hangfire/jobs/progress/{id}\"", page);
        Assert.Contains("width: 40%", page);
        Assert.Contains("40,000 / 100,000 (40 %)", page);
        var script = Regex.Match(page, "<script src=\"(/hangfire/js[0-9]+)\"").Groups[1].Value;
        Assert.NotEmpty(script);
        Assert.Contains("jobserver-progress", await Http.GetStringAsync(script));
    }

    [Fact]
    public async Task ProgressRoute_JobEnqueuedThenDeleted_AnswersCurrentFiguresAndWhenItStopsRunning()
    {
        var id = CreateJobWithProgress(10, 200);

        var running = await ReadProgressAsync(id);
        using (var connection = _storage.GetConnection())
            connection.SetJobParameter(id, JobProgress.ParameterName, """{"done":150,"total":200}""");
        new BackgroundJobClient(_storage).Delete(id);
        var stopped = await ReadProgressAsync(id);

        Assert.Equal((10, 200, 5, true), (running.GetProperty("done").GetInt64(), running.GetProperty("total").GetInt64(),
            running.GetProperty("percent").GetInt32(), running.GetProperty("running").GetBoolean()));
        Assert.Equal((150, 75, false), (stopped.GetProperty("done").GetInt64(), stopped.GetProperty("percent").GetInt32(),
            stopped.GetProperty("running").GetBoolean()));
        Assert.Equal("150 / 200 (75 %)", stopped.GetProperty("text").GetString());
    }

    [Fact]
    public async Task JobDetails_JobWithoutProgress_NoBlockAndTheRouteAnswers404()
    {
        var id = new BackgroundJobClient(_storage).Create(() => Nothing(), new EnqueuedState("progress-none"));

        var page = await Http.GetStringAsync($"/hangfire/jobs/details/{id}");
        var route = await Http.GetAsync($"/hangfire/jobs/progress/{id}");

        Assert.Contains("JobProgressDashboardTests.Nothing", page);
        Assert.DoesNotContain("data-progress-url", page);
        Assert.Equal(HttpStatusCode.NotFound, route.StatusCode);
    }

    private string CreateJobWithProgress(long done, long total)
    {
        // No server serves this queue: the job stays Enqueued, as a running job's state would stay Processing.
        var id = new BackgroundJobClient(_storage).Create(() => Nothing(), new EnqueuedState("progress-dashboard"));
        using var connection = _storage.GetConnection();
        connection.SetJobParameter(id, JobProgress.ParameterName, $$"""{"done":{{done}},"total":{{total}}}""");
        return id;
    }

    private async Task<JsonElement> ReadProgressAsync(string id)
    {
        var response = await Http.GetAsync($"/hangfire/jobs/progress/{id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }
}
