using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using JobServer.Tests.Dashboard;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit.Abstractions;

namespace JobServer.Tests.Fuzz;

/// <summary>
/// Issue 7 §4, hostile input, for the dashboard: every action form with hostile fields (with a valid antiforgery
/// token, without one, with a broken or misplaced one) and every page with garbage route values, query strings and
/// cookies. Never a 5xx or a hang; refused actions change nothing; pages render whatever odd data the API accepted.
/// </summary>
public sealed class DashboardFuzzTests(FuzzFixture fixture, ITestOutputHelper output) : IClassFixture<FuzzFixture>
{
    /// <summary>A definition the forms name nearly but never exactly ("fz-dash " must not trigger it).</summary>
    private const string DefinedRecurringId = "fz-dash";

    [Fact]
    public async Task ActionForms_HostileFieldsWithAValidToken_RefusedWithAnErrorAndNothingChanged()
    {
        var cases = new DashboardCases(Random(), await ValidTokenAsync(), DefinedRecurringId);
        await RunAsync(fixture.Client, cases.Forms(400));
    }

    [Fact]
    public async Task ActionForms_MissingBrokenOrMisplacedToken_RefusedAndNothingChanged()
    {
        var cases = new DashboardCases(Random(), await ValidTokenAsync(), DefinedRecurringId);
        await RunAsync(fixture.Client, cases.TokenProblems(200));
    }

    [Fact]
    public async Task Pages_GarbageRouteValuesQueriesAndCookies_AnsweredAsTheOracleSays()
    {
        // A client without cookies: the generated cookies must not replace the fixture client's antiforgery cookie.
        using var client = fixture.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var random = Random();

        // First odd but valid jobs (queues "1", types with long args…), so the pages have hostile data to render.
        var jobs = new JobBodyCases(random, "Pages", fixture.ParentJobId, fixture.HeldProjects, new HashSet<string>()).Jobs(100);
        await RunAsync(client, jobs.Concat(new DashboardPageCases(random).Next(400)));
    }

    private Random Random([CallerMemberName] string test = "") => FuzzSeed.For(test);

    private async Task<string> ValidTokenAsync()
    {
        using var put = await fixture.Client.PutAsJsonAsync($"/api/recurring/{DefinedRecurringId}", new { cron = "0 0 1 1 *", type = "sleep", queue = FuzzFixture.IdleQueue });
        Assert.True(put.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"PUT {DefinedRecurringId}: {put.StatusCode}");
        return DashboardPages.Token(await fixture.Client.GetPageAsync("/dashboard/recurring"));
    }

    private async Task RunAsync(HttpClient client, IEnumerable<FuzzCase> cases, [CallerMemberName] string test = "")
    {
        var runner = new FuzzRunner(client, fixture.Database, output, test);
        await runner.RunAsync(cases);
        runner.AssertNoFindings();
    }
}
