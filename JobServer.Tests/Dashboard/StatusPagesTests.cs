using System.Net.Http.Json;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Text.Unicode;
using JobServer.Engine.Client;
using JobServer.Engine.Scheduling;
using JobServer.Tests.Api;
using Microsoft.Extensions.DependencyInjection;

namespace JobServer.Tests.Dashboard;

/// <summary>The overview and its JSON, the recurring, servers and queues pages, and the embedded assets, through the real host and database.</summary>
public sealed class StatusPagesTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private static readonly string[] States = ["enqueued", "scheduled", "awaiting", "processing", "succeeded", "failed", "deleted"];

    private HttpClient Client => fixture.Client;

    private IJobClient Jobs => fixture.Factory.Services.GetRequiredService<IJobClient>();

    /// <summary>A queue no test server works, so its jobs stay where the test put them.</summary>
    private static string IdleQueue(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    [Fact]
    public async Task Overview_Always_ShowsEveryStateCountLinkedToItsListAndTheQueues()
    {
        var queue = IdleQueue("ov");
        Jobs.Schedule("sleep", null, TimeSpan.FromHours(1), queue);

        var html = await Client.GetPageAsync("/dashboard");

        foreach (var state in States)
        {
            Assert.Contains($"""<a class="card state-{state}" href="/dashboard/jobs/{state}" data-testid="state-card-{state}">""", html);
            Assert.Matches($"""data-testid="count-{state}" data-live="states.\w+">\d[\d,]*<""", html);
        }

        Assert.Contains($"""<tr data-testid="queue-row" data-queue="{queue}">""", html);
        Assert.Contains($"""href="/dashboard/jobs/scheduled?queue={queue}" data-testid="queue-scheduled" data-live="queues.{queue}.scheduled">1<""", html);
        Assert.Contains("data-testid=\"realtime-graph\"", html);
        Assert.Contains("data-testid=\"history-hourly\"", html);
        Assert.Contains("data-testid=\"history-daily\"", html);
    }

    [Fact]
    public async Task Recurring_Definition_ShowsRowWithCronDescriptionAndButtons()
    {
        var manager = fixture.Factory.Services.GetRequiredService<IRecurringJobManager>();
        var id = "dash-rec-" + Guid.NewGuid().ToString("N")[..8];
        manager.AddOrUpdate(id, "*/5 * * * *", "sleep");
        var description = manager.Get(id)!.Description;

        var html = await Client.GetPageAsync("/dashboard/recurring");

        Assert.Contains($"""<tr data-testid="recurring-row" data-recurring-id="{id}">""", html);
        Assert.Contains($"""<div class="muted" data-testid="recurring-description">{HtmlEncoder.Create(UnicodeRanges.All).Encode(description)}</div>""", html);
        Assert.Contains("""<code data-testid="recurring-cron">*/5 * * * *</code>""", html);
        Assert.Contains("data-testid=\"trigger-recurring\"", html);
        Assert.Contains("data-testid=\"pause-recurring\"", html);
        Assert.Contains("data-testid=\"delete-recurring\"", html);
        manager.Remove(id);
    }

    [Fact]
    public async Task Servers_ThisServer_ShowsRowWithQueuesWorkersAndAlive()
    {
        var html = await Client.GetPageAsync("/dashboard/servers");

        var row = Regex.Match(html, $"""<tr data-testid="server-row" data-server-id="{Regex.Escape(fixture.Factory.ServerId)}">.*?</tr>""", RegexOptions.Singleline).Value;
        Assert.Contains("""<td data-testid="server-queues">critical, default</td>""", row);
        Assert.Matches($"""data-testid="server-workers">\d+ / {ApiFactory.Workers}<""", row);
        Assert.Contains("data-testid=\"server-alive\"", row);
    }

    [Fact]
    public async Task Queues_WaitingJob_ShowsLengthAndAgeOfOldest()
    {
        var queue = IdleQueue("q");
        Jobs.Enqueue("sleep", null, queue);

        var html = await Client.GetPageAsync("/dashboard/queues");

        var row = Regex.Match(html, $"""<tr data-testid="queue-row" data-queue="{queue}">.*?</tr>""", RegexOptions.Singleline).Value;
        Assert.Contains($"""<a href="/dashboard/jobs/enqueued?queue={queue}" data-testid="queue-enqueued">1</a>""", row);
        Assert.Matches("""<td data-testid="queue-oldest"><time datetime="[^"]+Z" title="since [^"]+">[^<]+</time></td>""", row);
    }

    [Fact]
    public async Task StatsJson_AfterJobSucceeds_HasStatesQueuesAndGrowingTotals()
    {
        var before = await Client.GetFromJsonAsync<JsonElement>("/dashboard/api/stats");
        Assert.Equal(States.Order(), before.GetProperty("states").EnumerateObject().Select(p => p.Name.ToLowerInvariant()).Order());
        Assert.Equal(JsonValueKind.Object, before.GetProperty("queues").ValueKind);
        var succeeded = before.GetProperty("totals").GetProperty("Succeeded").GetInt64();
        Assert.True(before.GetProperty("totals").GetProperty("Failed").GetInt64() >= 0);

        var id = Jobs.Enqueue("sleep");
        await Client.UntilStateAsync(id, "Succeeded");

        await ApiFactory.UntilAsync(
            async () => (await Client.GetFromJsonAsync<JsonElement>("/dashboard/api/stats")).GetProperty("totals").GetProperty("Succeeded").GetInt64(),
            total => total >= succeeded + 1,
            "the all-time Succeeded total to grow");
    }

    [Fact]
    public async Task HistoryJson_Always_HasEightDaysOfHoursEndingWithTheCurrentHour()
    {
        var history = await Client.GetFromJsonAsync<JsonElement>("/dashboard/api/history");

        var hours = history.GetProperty("hours").EnumerateArray().ToList();
        Assert.Equal(JobServer.Dashboard.OverviewEndpoints.HistoryHours, hours.Count);
        var at = history.GetProperty("at").GetDateTime();
        var last = hours[^1].GetProperty("hour").GetDateTime();
        Assert.Equal(new DateTime(at.Year, at.Month, at.Day, at.Hour, 0, 0), new DateTime(last.Year, last.Month, last.Day, last.Hour, 0, 0));
        Assert.All(hours, h => Assert.True(h.GetProperty("succeeded").GetInt64() >= 0 && h.GetProperty("failed").GetInt64() >= 0));
    }

    [Fact]
    public async Task Assets_LinkedFromPages_AreServedFromTheAssembly()
    {
        var html = await Client.GetPageAsync("/dashboard");
        var css = Regex.Match(html, """<link rel="stylesheet" href="(/dashboard/assets/dashboard\.css\?v=\w+)">""").Groups[1].Value;
        var js = Regex.Match(html, """<script src="(/dashboard/assets/dashboard\.js\?v=\w+)" defer>""").Groups[1].Value;

        using var style = await Client.GetAsync(css);
        using var script = await Client.GetAsync(js);

        Assert.Equal("text/css", style.Content.Headers.ContentType?.MediaType);
        Assert.Contains("--failed:", await style.Content.ReadAsStringAsync());
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.Contains("initOverview", await script.Content.ReadAsStringAsync());
        Assert.Contains("immutable", style.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task Pages_Always_ForbidInlineScriptAndFraming()
    {
        using var response = await Client.GetAsync("/dashboard/queues");

        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", policy);
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }
}
