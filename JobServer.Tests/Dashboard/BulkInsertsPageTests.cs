using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using Hangfire;
using Hangfire.States;
using JobServer.Dashboard;
using JobServer.Tests.Infrastructure;
using static JobServer.Tests.Dashboard.DashboardClient;

namespace JobServer.Tests.Dashboard;

/// <summary>
/// The dashboard's Bulk inserts page on the real host: counts per project through <c>selectCountData</c>, bulk inserts
/// with their progress, and the form that starts one — its answers to a valid form (303, the job runs), to invalid
/// fields (422), to a project already in flight (409), to a missing token (403) and in read-only mode (no form, 403).
/// </summary>
public sealed partial class BulkInsertsPageTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private const string Page = "/hangfire/bulk-inserts";

    [Fact]
    public async Task Page_RowsInTwoProjects_CountsEachThroughTheProcedureAndTheTotal()
    {
        await using var host = await DashboardHost.StartAsync(database);
        var (alpha, beta) = (Unique("alpha"), Unique("beta"));
        await using (var connection = database.Open())
        {
            await connection.ExecuteAsync("INSERT INTO api_data (name, project) VALUES ('n', @alpha), ('n', @alpha), ('n', @alpha), ('n', @beta), ('n', @beta)", new { alpha, beta });
        }

        var html = await host.Client.GetPageAsync(Page);

        Assert.Equal("3", CountOf(html, alpha));
        Assert.Equal("2", CountOf(html, beta));
        Assert.Matches("""<tr id="project-counts-total"><th>All projects</th><th class="align-right">[0-9,]+</th></tr>""", html);
        Assert.Matches("""<li class="active">\s*<a href="/hangfire/bulk-inserts">\s*Bulk inserts""", html);
    }

    [Fact]
    public async Task Form_Valid_303BackToThePageThenTheJobRunsAndItsRowsAreCounted()
    {
        await using var host = await DashboardHost.StartAsync(database);
        var project = Unique("form");

        using var response = await PostFormAsync(host, ("rows", "2500"), ("project", project), ("chunkSize", "1000"));

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        var id = Regex.Match(location, @"^/hangfire/bulk-inserts\?started=(\d+)$").Groups[1].Value;
        Assert.NotEmpty(id);
        Assert.Contains($"""Bulk insert <a href="/hangfire/jobs/details/{id}">""", await host.Client.GetPageAsync(location));
        await UntilStateAsync(host, id, SucceededState.StateName);
        var html = await host.Client.GetPageAsync(Page);
        Assert.Equal("2,500", CountOf(html, project));
        var row = JobRow(html, id);
        Assert.Contains("Succeeded", row);
        Assert.Contains("2,500 / 2,500 (100 %)", row);
        Assert.Contains(">1,000<", row);
    }

    [Fact]
    public async Task Form_InvalidFields_422NamingEachFieldFilledInAsTypedAndNothingStarted()
    {
        await using var host = await DashboardHost.StartAsync(database);
        var before = await JobCountAsync();

        using var response = await PostFormAsync(host, ("rows", "lots"), ("project", ""), ("chunkSize", "5"));

        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("""data-field="rows">Rows must be a whole number (in range)</span>""", html);
        Assert.Contains("""value="lots" """, html);
        Assert.Equal(before, await JobCountAsync());

        using var second = await PostFormAsync(host, ("rows", "20000000"), ("project", ""), ("chunkSize", "5"));
        html = await second.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, second.StatusCode);
        Assert.Contains("""data-field="rows">Rows must be between 1 and 10000000</span>""", html);
        Assert.Contains("""data-field="project">Project is required</span>""", html);
        Assert.Contains("""data-field="chunkSize">Chunk size must be between 1000 and 1000000</span>""", html);
        Assert.Equal(before, await JobCountAsync());
    }

    [Fact]
    public async Task Form_ProjectAlreadyInFlight_409NamingTheJobThatHoldsIt()
    {
        await using var host = await DashboardHost.StartAsync(database);
        var project = Unique("busy");
        // On a queue no server serves, the first bulk insert stays Enqueued: in flight, holding the project's key.
        var holder = host.Factory.Client.Create(DashboardHost.Job("bulk-insert", $$"""{"rows":1000,"project":"{{project}}"}"""), new EnqueuedState(DashboardHost.IdleQueue));
        var before = await JobCountAsync();

        using var response = await PostFormAsync(host, ("rows", "1000"), ("project", project), ("chunkSize", ""));

        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Matches($"""id="bulk-insert-conflict">[^<]*bulk-insert:{project}[^<]*<a href="/hangfire/jobs/details/{holder}">""", Regex.Replace(html, @"\s+", " "));
        Assert.Equal(before, await JobCountAsync());
        host.Factory.Client.Delete(holder);
    }

    [Fact]
    public async Task Form_WithoutAntiforgeryToken_403NothingStarted()
    {
        await using var host = await DashboardHost.StartAsync(database);
        await host.Client.GetPageAsync(Page);
        var before = await JobCountAsync();

        using var response = await host.Client.PostWithoutTokenAsync(Page, [Field("rows", "1000"), Field("project", Unique("forged"))]);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(before, await JobCountAsync());
    }

    [Fact]
    public async Task ReadOnly_PageWithoutFormAndThePost403()
    {
        await using var host = await DashboardHost.StartAsync(database, new Dictionary<string, string?> { ["JobServer:Dashboard:ReadOnly"] = "true" });
        var before = await JobCountAsync();

        var html = await host.Client.GetPageAsync(Page);
        using var response = await host.Client.PostWithTokenAsync(Page, [Field("rows", "1000"), Field("project", Unique("read-only"))]);

        Assert.DoesNotContain("<form", html);
        Assert.DoesNotContain(FormTokenField, html);
        Assert.Contains("id=\"bulk-insert-read-only\"", html);
        Assert.Contains("id=\"project-counts\"", html);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(before, await JobCountAsync());
    }

    [Fact]
    public async Task Registration_RepeatedAndManyHosts_OneMenuItem()
    {
        GlobalConfiguration.Configuration.UseBulkInsertsPage().UseBulkInsertsPage();
        await using var host = await DashboardHost.StartAsync(database);

        var html = await host.Client.GetPageAsync("/hangfire/servers");

        Assert.Single(Regex.Matches(html, """href="/hangfire/bulk-inserts"[^>]*>"""));
    }

    /// <summary>Posts the page's form as a browser does: the token from its hidden field, the cookie from the GET.</summary>
    private static async Task<HttpResponseMessage> PostFormAsync(DashboardHost host, params (string Name, string Value)[] fields)
    {
        var token = FormToken().Match(await host.Client.GetPageAsync(Page));
        Assert.True(token.Success, "the form carries an antiforgery token");
        var form = fields.Select(f => Field(f.Name, f.Value)).Append(Field(FormTokenField, WebUtility.HtmlDecode(token.Groups[1].Value)));
        return await host.Client.PostWithoutTokenAsync(Page, form);
    }

    private static string CountOf(string html, string project)
    {
        var match = Regex.Match(html, $"""<tr class="project-count" data-project="{Regex.Escape(project)}"><td>[^<]*</td><td class="align-right">([0-9,]+)</td>""");
        Assert.True(match.Success, $"the page counts project {project}");
        return match.Groups[1].Value;
    }

    private static string JobRow(string html, string id)
    {
        var match = Regex.Match(html, $"""<tr class="bulk-insert-job" data-job-id="{id}">(.*?)</tr>""", RegexOptions.Singleline);
        Assert.True(match.Success, $"the page lists bulk insert {id}");
        return match.Groups[1].Value;
    }

    private static Task UntilStateAsync(DashboardHost host, string id, string state)
    {
        using var connection = host.Factory.Storage.GetConnection();
        return Eventually.UntilAsync(() => connection.GetStateData(id)?.Name, s => s == state, TimeSpan.FromSeconds(30), $"job {id} to be {state}");
    }

    private async Task<long> JobCountAsync()
    {
        await using var connection = database.Open();
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM hf_job");
    }

    private static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..6];

    [GeneratedRegex("""name="__RequestVerificationToken" value="([^"]+)">""")]
    private static partial Regex FormToken();
}
