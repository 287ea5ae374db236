using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace JobServer.Tests.Api;

/// <summary>
/// Every class of bad input to the bulk-insert endpoints gets a 4xx problem naming the field as the client sent it
/// (<c>rows</c>, not <c>args.rows</c>), never a 500, and writes nothing: no job, no lease, no row.
/// </summary>
public sealed class BulkInsertBadInputTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    [Theory]
    [InlineData("""{"project": "p"}""", "rows")]
    [InlineData("""{"rows": null, "project": "p"}""", "rows")]
    [InlineData("""{"rows": 10}""", "project")]
    [InlineData("""{"rows": 10, "project": null}""", "project")]
    public async Task Create_RequiredFieldMissing_Returns400NamingIt(string body, string field) =>
        await AssertRefusedAsync(Json(body), HttpStatusCode.BadRequest, field);

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("10000001")]
    [InlineData("1.5")]
    [InlineData("\"100\"")]
    [InlineData("1e40")]
    [InlineData("99999999999999999999")]
    [InlineData("true")]
    [InlineData("[1]")]
    [InlineData("{}")]
    public async Task Create_BadRows_Returns400NamingRows(string rows) =>
        await AssertRefusedAsync(Json($$"""{"rows": {{rows}}, "project": "p"}"""), HttpStatusCode.BadRequest, "rows");

    [Theory]
    [InlineData("\"\"")]
    [InlineData("5")]
    [InlineData("[\"x\"]")]
    [InlineData("\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"")]
    public async Task Create_BadName_Returns400NamingName(string name) =>
        await AssertRefusedAsync(Json($$"""{"rows": 10, "name": {{name}}, "project": "p"}"""), HttpStatusCode.BadRequest, "name");

    [Theory]
    [InlineData("\"\"")]
    [InlineData("5")]
    [InlineData("{\"id\": 1}")]
    [InlineData("\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"")]
    [InlineData("\"\\uD800\"")]
    public async Task Create_BadProject_Returns400NamingProject(string project) =>
        await AssertRefusedAsync(Json($$"""{"rows": 10, "project": {{project}}}"""), HttpStatusCode.BadRequest, "project");

    [Theory]
    [InlineData("999")]
    [InlineData("0")]
    [InlineData("1000001")]
    [InlineData("\"5000\"")]
    [InlineData("1000.5")]
    public async Task Create_BadChunkSize_Returns400NamingChunkSize(string chunkSize) =>
        await AssertRefusedAsync(Json($$"""{"rows": 10, "project": "p", "chunkSize": {{chunkSize}}}"""), HttpStatusCode.BadRequest, "chunkSize");

    [Theory]
    [InlineData("""{"rows": 10, "project": "p", "type": "bulk-insert"}""", "type")]
    [InlineData("""{"rows": 10, "project": "p", "args": {}}""", "args")]
    [InlineData("""{"rows": 10, "project": "p", "Rows": 10}""", "Rows")]
    [InlineData("""{"rows": 10, "project": "p", "priority": 1}""", "priority")]
    public async Task Create_UnknownField_Returns400NamingIt(string body, string field) =>
        await AssertRefusedAsync(Json(body), HttpStatusCode.BadRequest, field);

    [Theory]
    [InlineData("""{"rows": 10, "project": "p", "queue": "Bad Queue"}""", "queue")]
    [InlineData("""{"rows": 10, "project": "p", "queue": 7}""", "queue")]
    [InlineData("""{"rows": 10, "project": "p", "delay": "5m"}""", "delay")]
    [InlineData("""{"rows": 10, "project": "p", "delay": 300}""", "delay")]
    [InlineData("""{"rows": 10, "project": "p", "delay": "00:01:00", "runAt": "2030-01-01T00:00:00Z"}""", "delay")]
    [InlineData("""{"rows": 10, "project": "p", "runAt": "01/02/2030"}""", "runAt")]
    [InlineData("""{"rows": 10, "project": "p", "runAt": "2999-01-01T00:00:00Z"}""", "runAt")]
    public async Task Create_BadQueueOrTime_Returns400NamingIt(string body, string field) =>
        await AssertRefusedAsync(Json(body), HttpStatusCode.BadRequest, field);

    [Theory]
    [InlineData("""{"rows": 10, "project": "p" """)]
    [InlineData("")]
    [InlineData("""[{"rows": 10, "project": "p"}]""")]
    [InlineData("42")]
    [InlineData("null")]
    public async Task Create_BodyNotAJsonObject_Returns400NamingBody(string body) =>
        await AssertRefusedAsync(Json(body), HttpStatusCode.BadRequest, "body");

    [Fact]
    public async Task Create_BodyOverOneMegabyte_Returns413()
    {
        var body = JsonSerializer.Serialize(new { rows = 10, project = "p", name = new string('x', 1024 * 1024) });

        var problem = await AssertRefusedAsync(Json(body), HttpStatusCode.RequestEntityTooLarge);

        Assert.Contains("body", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Create_NotJsonContentType_Returns415()
    {
        var content = new StringContent("""{"rows": 10, "project": "p"}""", Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");

        await AssertRefusedAsync(content, HttpStatusCode.UnsupportedMediaType);
    }

    [Theory]
    [InlineData("project=")]
    [InlineData("project=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("project=a&project=b")]
    public async Task Count_BadProject_Returns400NamingProject(string query)
    {
        using var response = await fixture.Client.GetAsync("/api/bulk-insert/count?" + query);

        var problem = await ApiAssert.ProblemAsync(response, HttpStatusCode.BadRequest);
        ApiAssert.NamesField(problem, "project");
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    /// <summary>Posts a bulk insert that must be refused: status, problem+json, the field named, and nothing written.</summary>
    private async Task<JsonElement> AssertRefusedAsync(HttpContent content, HttpStatusCode status, string? field = null)
    {
        var before = fixture.CountWrites();

        using var response = await fixture.Client.PostAsync("/api/bulk-insert", content);

        var problem = await ApiAssert.ProblemAsync(response, status);
        if (field is not null)
        {
            ApiAssert.NamesField(problem, field);
        }

        Assert.Equal(before, fixture.CountWrites());
        return problem;
    }
}
