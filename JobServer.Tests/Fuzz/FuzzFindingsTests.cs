using System.Net;
using System.Text;
using Dapper;
using JobServer.Tests.Api;
using JobServer.Tests.Dashboard;

namespace JobServer.Tests.Fuzz;

/// <summary>
/// The inputs the generated suite found wrong answers for, fixed and kept as plain cases: each failed before its fix
/// (the answer is in the test's name) and must not come back whatever seed the generated tests draw.
/// </summary>
public sealed class FuzzFindingsTests(FuzzFixture fixture) : IClassFixture<FuzzFixture>
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task QueueWithATrailingNewline_Refused400NamingQueue_WasAccepted()
    {
        // The queue pattern ended in "$", which also matches before a final "\n".
        var before = JobRows();

        using var create = await PostJsonAsync("/api/jobs", """{"type":"sleep","queue":"fuzz-idle\n"}""");
        using var list = await Client.GetAsync("/api/jobs?queue=default%0A");

        await JobApi.AssertProblemAsync(create, HttpStatusCode.BadRequest, "queue");
        await JobApi.AssertProblemAsync(list, HttpStatusCode.BadRequest, "queue");
        Assert.Equal(before, JobRows());
    }

    [Theory]
    [InlineData("""{"type":"report","args":{"":1}}""", "args")]
    [InlineData("""{"type":"sleep","args":{"1' OR '1'='1":1}}""", "args.1' OR '1'='1")]
    [InlineData("""{"type":"sleep","args":{"it's":1}}""", "args.it's")]
    public async Task UnknownArgumentWithAnEmptyOrQuotedName_400NamingIt_WasNamedByTheMessageText(string body, string field)
    {
        // The name was cut at the next apostrophe of System.Text.Json's message: "args. could not be mapped to…".
        using var response = await PostJsonAsync("/api/jobs", body);

        await JobApi.AssertProblemAsync(response, HttpStatusCode.BadRequest, field);
    }

    [Theory]
    [InlineData("Europe")]
    [InlineData("../../../../etc")]
    public async Task RecurringTimeZoneThatIsAFolder_400NamingTimeZone_Was503DatabaseUnavailable(string zone)
    {
        // On Linux the zone id is read as a file under the zone database; a folder failed as I/O, taken for the database down.
        using var response = await Client.PutAsync("/api/recurring/fz-finding-tz",
            new StringContent($$"""{"cron":"0 0 1 1 *","type":"sleep","timeZone":"{{zone}}"}""", Encoding.UTF8, "application/json"));

        await JobApi.AssertProblemAsync(response, HttpStatusCode.BadRequest, "timeZone");
    }

    [Theory]
    [InlineData("jobs%5B%5D=1%00", true)]
    [InlineData("jobs%5B%5D=1%00", false)]
    [InlineData("many", true)]
    [InlineData("many", false)]
    public async Task HangfireCommandWithAFormNoReaderTakes_400NothingChanged_Was500(string form, bool withHeaderToken)
    {
        // Hangfire reads the form in its batch command (with the header token) or antiforgery reads it looking for the
        // token (without one); both threw InvalidDataException up to a 500.
        var (header, token) = DashboardClient.Antiforgery(await Client.GetPageAsync(FuzzFixture.Dashboard + "/jobs/enqueued"));
        var body = form == "many" ? string.Join("&", Enumerable.Range(0, 2_000).Select(i => $"f{i}=x")) + "&jobs%5B%5D=1" : form;
        using var request = new HttpRequestMessage(HttpMethod.Post, FuzzFixture.Dashboard + "/jobs/enqueued/delete")
        {
            Content = new StringContent(body, Encoding.UTF8, FormBody.UrlEncoded),
        };
        if (withHeaderToken)
        {
            request.Headers.Add(header, token);
        }

        var before = JobStates();
        using var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, JobStates());
    }

    [Fact]
    public async Task BulkInsertsFormWithANul_400NothingStarted_Was500()
    {
        var before = JobRows();
        using var response = await Client.PostAsync(BulkInsertFormCases.Url,
            new StringContent("rows=10&project=a%00b&__RequestVerificationToken=x", Encoding.UTF8, FormBody.UrlEncoded));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, JobRows());
    }

    private Task<HttpResponseMessage> PostJsonAsync(string url, string json) =>
        Client.PostAsync(url, new StringContent(json, Encoding.UTF8, "application/json"));

    private long JobRows()
    {
        using var connection = fixture.Database.Open();
        return connection.ExecuteScalar<long>("SELECT COUNT(*) FROM hf_job");
    }

    private string JobStates()
    {
        using var connection = fixture.Database.Open();
        return string.Join(",", connection.Query<string>("SELECT CONCAT(id, ':', COALESCE(state_name, '')) FROM hf_job ORDER BY id"));
    }
}
