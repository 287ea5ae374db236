using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using JobServer.Tests.Dashboard;
using Xunit.Abstractions;

namespace JobServer.Tests.Fuzz;

/// <summary>
/// Hostile input for the dashboard: Hangfire's own commands (batch commands with hostile <c>jobs[]</c>, job actions
/// with hostile ids) sent with a valid antiforgery token, and without a valid one; the Bulk inserts form with hostile
/// fields; pages with garbage route values and queries. Never a 5xx or a hang; nothing that names no job changes
/// anything; a refused form starts nothing and shows its field errors.
/// </summary>
public sealed partial class DashboardFuzzTests(FuzzFixture fixture, ITestOutputHelper output) : IClassFixture<FuzzFixture>
{
    /// <summary>A definition the commands name nearly but never exactly ("fz-dash " must not remove it).</summary>
    private const string DefinedRecurringId = "fz-dash";

    [Fact]
    public async Task HangfireCommands_HostileIdsAndFieldsWithAValidToken_NeverA5xxAndNothingChanged()
    {
        var (header, token) = await AntiforgeryAsync();
        var random = Random();
        await RunAsync(HeldProjectTrigger(header, token).Concat(new DashboardCommandCases(random, header, token, DefinedRecurringId).Commands(FuzzSeed.Cases(300))));
    }

    [Fact]
    public async Task HangfireCommands_MissingOrBrokenToken_403AndNothingChanged()
    {
        var (header, token) = await AntiforgeryAsync();
        await RunAsync(new DashboardCommandCases(Random(), header, token, DefinedRecurringId).TokenProblems(FuzzSeed.Cases(100)));
    }

    [Fact]
    public async Task BulkInsertsForm_HostileFields_StartedOrFieldErrorsShownAndNothingHalfWritten()
    {
        var html = await fixture.Client.GetPageAsync(BulkInsertFormCases.Url);
        var token = FormToken().Match(html);
        Assert.True(token.Success, "the Bulk inserts form carries an antiforgery token");
        var cases = new BulkInsertFormCases(Random(), DashboardClient.FormTokenField, WebUtility.HtmlDecode(token.Groups[1].Value), fixture.HeldProjects);
        await RunAsync(cases.Next(FuzzSeed.Cases(200)));
    }

    [Fact]
    public async Task Pages_GarbageRouteValuesAndQueries_NeverA5xx()
    {
        var (header, token) = await AntiforgeryAsync();
        await RunAsync(new DashboardPageCases(Random()).Next(FuzzSeed.Cases(150)).Select(c => c.Method == HttpMethod.Post ? c with { Headers = [new(header, token)] } : c));
    }

    /// <summary>A recurring bulk insert triggered from the dashboard while its project's key is held: Hangfire's
    /// trigger command meets the concurrency limit's refusal. It may be refused or skipped, never a 5xx.</summary>
    private IEnumerable<FuzzCase> HeldProjectTrigger(string header, string token)
    {
        var (body, contentType) = FormBody.Encode([new(DashboardCommandCases.IdsField, "fz-dash-held")], multipart: false);
        yield return new FuzzCase("trigger of a recurring bulk insert whose project is held", HttpMethod.Post, FuzzFixture.Dashboard + "/recurring/trigger", Outcome.Either)
        {
            Body = body, ContentType = contentType, Headers = [new(header, token)],
        };
    }

    private Random Random([CallerMemberName] string test = "") => FuzzSeed.For(test);

    /// <summary>Defines the recurring jobs the commands aim near, holds a project, and reads a page's token.</summary>
    private async Task<(string Header, string Token)> AntiforgeryAsync()
    {
        using var put = await fixture.Client.PutAsJsonAsync($"/api/recurring/{DefinedRecurringId}", new { cron = "0 0 1 1 *", type = "sleep", queue = FuzzFixture.IdleQueue });
        Assert.True(put.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"PUT {DefinedRecurringId}: {put.StatusCode} {await put.Content.ReadAsStringAsync()}");
        using var held = await fixture.Client.PutAsJsonAsync("/api/recurring/fz-dash-held", new { cron = "0 0 1 1 *", type = "bulk-insert", args = new { rows = 1, project = "fz-dash-held" } });
        Assert.True(held.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"PUT fz-dash-held: {held.StatusCode} {await held.Content.ReadAsStringAsync()}");
        if (fixture.HeldProjects.Take(["fz-dash-held"]) == Outcome.Accepted)
        {
            using var holder = await fixture.Client.PostAsJsonAsync("/api/bulk-insert", new { rows = 1, project = "fz-dash-held", queue = FuzzFixture.IdleQueue });
            Assert.Equal(HttpStatusCode.Accepted, holder.StatusCode);
        }

        return DashboardClient.Antiforgery(await fixture.Client.GetPageAsync(FuzzFixture.Dashboard + "/recurring"));
    }

    private async Task RunAsync(IEnumerable<FuzzCase> cases, [CallerMemberName] string test = "")
    {
        var runner = new FuzzRunner(fixture.Client, fixture.Database, output, test);
        await runner.RunAsync(cases);
        runner.AssertNoFindings();
    }

    [GeneratedRegex("""name="__RequestVerificationToken" value="([^"]+)">""")]
    private static partial Regex FormToken();
}
