using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace JobServer.Tests.Api;

/// <summary>
/// Issue 2 §6: every class of bad input gets a 4xx problem naming what is wrong, never a 500, and writes nothing.
/// </summary>
public sealed class BadInputTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private const string FarFuture = "2999-01-01T00:00:00Z";

    [Theory]
    [InlineData("""{"type": "no-such-job"}""")]
    [InlineData("""{"args": {"ms": 1}}""")]
    [InlineData("""{"type": null}""")]
    [InlineData("""{"type": ""}""")]
    [InlineData("""{"type": "SLEEP"}""")]
    public async Task Create_UnknownOrMissingType_Returns400NamingType(string body) =>
        await AssertRefusedAsync(Json(body), HttpStatusCode.BadRequest, "type");

    [Fact]
    public async Task Create_TypeLongerThan100_Returns400NamingType() =>
        await AssertRefusedAsync(Json($$"""{"type": "{{new string('x', 5000)}}"}"""), HttpStatusCode.BadRequest, "type");

    [Theory]
    [InlineData("""{"type": "sleep" """)]
    [InlineData("""{type: 'sleep'}""")]
    [InlineData("""{"type": "sleep",}""")]
    [InlineData("""{"type": "sleep"} {"type": "sleep"}""")]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Create_MalformedJson_Returns400NamingBody(string body) =>
        await AssertRefusedAsync(Json(body), HttpStatusCode.BadRequest, "body");

    [Theory]
    [InlineData("""{"type": "sleep", "queue": "\u00FF"}""")]
    [InlineData("""{"type": "\u00FF"}""")]
    [InlineData("""{"\u00FF": 1}""")]
    [InlineData("""{"type": "test-fail", "args": {"message": "\u00FF"}}""")]
    public async Task Create_InvalidUtf8_Returns400NamingBody(string template)
    {
        // The byte 0xFF never occurs in UTF-8; it replaces the escape's place in the template.
        var bytes = Encoding.UTF8.GetBytes(template.Replace("\\u00FF", "X"));
        bytes[Array.IndexOf(bytes, (byte)'X')] = 0xFF;
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        await AssertRefusedAsync(content, HttpStatusCode.BadRequest, "body");
    }

    [Theory]
    [InlineData("""{"type": "sleep", "queue": "\uD800"}""", "queue")]
    [InlineData("""{"type": "\uDC00x"}""", "type")]
    [InlineData("""{"\uD800": 1}""", "body")]
    [InlineData("""{"type": "test-fail", "args": {"\uD800": "x"}}""", "args")]
    [InlineData("""{"type": "sleep", "delay": "\uD800"}""", "delay")]
    [InlineData("""{"type": "sleep", "runAt": "\uD800"}""", "runAt")]
    [InlineData("""{"type": "test-fail", "args": {"message": "\uD800"}}""", "args.message")]
    public async Task Create_LoneSurrogateEscape_Returns400NamingField(string body, string field) =>
        await AssertRefusedAsync(Json(body), HttpStatusCode.BadRequest, field);

    [Theory]
    [InlineData("0001-01-01T00:00:00+14:00")]
    [InlineData("9999-12-31T23:59:59-14:00")]
    public async Task Create_RunAtOutOfRange_Returns400NamingRunAt(string runAt) =>
        await AssertRefusedAsync(Json(JsonSerializer.Serialize(new { type = "sleep", runAt })), HttpStatusCode.BadRequest, "runAt");

    [Theory]
    [InlineData("""[{"type": "sleep"}]""")]
    [InlineData("\"sleep\"")]
    [InlineData("42")]
    [InlineData("null")]
    [InlineData("true")]
    public async Task Create_BodyNotAnObject_Returns400NamingBody(string body) =>
        await AssertRefusedAsync(Json(body), HttpStatusCode.BadRequest, "body");

    [Theory]
    [InlineData("""{"type": 5}""", "type")]
    [InlineData("""{"type": ["sleep"]}""", "type")]
    [InlineData("""{"type": "sleep", "args": "x"}""", "args")]
    [InlineData("""{"type": "sleep", "args": [1]}""", "args")]
    [InlineData("""{"type": "sleep", "queue": 7}""", "queue")]
    [InlineData("""{"type": "sleep", "delay": 12}""", "delay")]
    [InlineData("""{"type": "sleep", "runAt": 1700000000}""", "runAt")]
    public async Task Create_WrongFieldType_Returns400NamingField(string body, string field) =>
        await AssertRefusedAsync(Json(body), HttpStatusCode.BadRequest, field);

    [Theory]
    [InlineData("""{"type": "sleep", "priority": 1}""", "priority")]
    [InlineData("""{"type": "sleep", "Type": "sleep"}""", "Type")]
    public async Task Create_UnknownTopLevelField_Returns400NamingIt(string body, string field) =>
        await AssertRefusedAsync(Json(body), HttpStatusCode.BadRequest, field);

    [Theory]
    [InlineData("""{"type": "sleep", "type": "sleep"}""", "type")]
    [InlineData("""{"type": "sleep", "args": {"ms": 1, "ms": 2}}""", "args.ms")]
    public async Task Create_DuplicateKey_Returns400NamingIt(string body, string field) =>
        await AssertRefusedAsync(Json(body), HttpStatusCode.BadRequest, field);

    [Theory]
    [InlineData("Bad Queue")]
    [InlineData("UPPER")]
    [InlineData("")]
    [InlineData("q;DROP TABLE js_job")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public async Task Create_InvalidQueueName_Returns400NamingQueue(string queue) =>
        await AssertRefusedAsync(Json(JsonSerializer.Serialize(new { type = "sleep", queue })), HttpStatusCode.BadRequest, "queue");

    [Theory]
    [InlineData("""{"ms": "fast"}""", "args.ms")]
    [InlineData("""{"ms": "100"}""", "args.ms")]
    [InlineData("""{"ms": 1.5}""", "args.ms")]
    [InlineData("""{"ms": null}""", "args.ms")]
    [InlineData("""{"ms": -1}""", "args.ms")]
    [InlineData("""{"ms": 3600001}""", "args.ms")]
    [InlineData("""{"ms": 1e40}""", "args.ms")]
    [InlineData("""{"ms": 99999999999999999999}""", "args.ms")]
    [InlineData("""{"ms": 1, "speed": 2}""", "args.speed")]
    public async Task Create_InvalidSleepArgs_Returns400NamingArgField(string args, string field) =>
        await AssertRefusedAsync(Json($$"""{"type": "sleep", "args": {{args}}}"""), HttpStatusCode.BadRequest, field);

    [Theory]
    [InlineData("five minutes")]
    [InlineData("5m")]
    [InlineData("30")]
    [InlineData("00:05")]
    [InlineData("00:05:00\n")]
    [InlineData("-00:01:00")]
    [InlineData("3651.00:00:00")]
    [InlineData("10675199.02:48:05.4775807")]
    public async Task Create_BadDelay_Returns400NamingDelay(string delay) =>
        await AssertRefusedAsync(Json(JsonSerializer.Serialize(new { type = "sleep", delay })), HttpStatusCode.BadRequest, "delay");

    [Fact]
    public async Task Create_DelayAndRunAtTogether_Returns400NamingDelay() =>
        await AssertRefusedAsync(
            Json($$"""{"type": "sleep", "delay": "00:01:00", "runAt": "{{DateTime.UtcNow.AddHours(1):O}}"}"""),
            HttpStatusCode.BadRequest,
            "delay");

    [Theory]
    [InlineData("not-a-date")]
    [InlineData("2030-13-45T00:00:00Z")]
    [InlineData("2030-01-01T25:00:00Z")]
    [InlineData("01/02/2030")]
    [InlineData("Tuesday, 1 January 2030")]
    [InlineData("2030-01-01T00:00:00Z\n")]
    [InlineData(FarFuture)]
    public async Task Create_BadRunAt_Returns400NamingRunAt(string runAt) =>
        await AssertRefusedAsync(Json(JsonSerializer.Serialize(new { type = "sleep", runAt })), HttpStatusCode.BadRequest, "runAt");

    [Fact]
    public async Task Create_RunAtTwentyYearsAhead_Returns400NamingRunAt() =>
        await AssertRefusedAsync(
            Json(JsonSerializer.Serialize(new { type = "sleep", runAt = DateTime.UtcNow.AddYears(20).ToString("O") })),
            HttpStatusCode.BadRequest,
            "runAt");

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Create_BodyOverOneMegabyte_Returns413(bool withContentLength)
    {
        var pad = new string('x', 1024 * 1024);
        var body = Encoding.UTF8.GetBytes("{\"type\": \"sleep\", \"args\": {\"pad\": \"" + pad + "\"}}");
        HttpContent content = withContentLength ? new ByteArrayContent(body) : new StreamContent(new UnknownLengthStream(body));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var problem = await AssertRefusedAsync(content, HttpStatusCode.RequestEntityTooLarge);

        Assert.Contains("body", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData(null)]
    public async Task Create_NotJsonContentType_Returns415(string? mediaType)
    {
        var content = new StringContent("""{"type": "sleep"}""", Encoding.UTF8);
        content.Headers.ContentType = mediaType is null ? null : new MediaTypeHeaderValue(mediaType);

        var problem = await AssertRefusedAsync(content, HttpStatusCode.UnsupportedMediaType);

        Assert.Contains("application/json", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Create_ArgsNested200Levels_Returns400()
    {
        var nested = string.Concat(Enumerable.Repeat("""{"a":""", 200)) + "1" + new string('}', 200);

        await AssertRefusedAsync(Json($$"""{"type": "sleep", "args": {{nested}}}"""), HttpStatusCode.BadRequest, "body");
    }

    [Theory]
    [InlineData("state=Bogus", "state")]
    [InlineData("state=3", "state")]
    [InlineData("state=Succeeded,Failed", "state")]
    [InlineData("state=Enqueued,Scheduled", "state")]
    [InlineData("state=", "state")]
    [InlineData("queue=Not%20A%20Queue", "queue")]
    [InlineData("page=0", "page")]
    [InlineData("page=-1", "page")]
    [InlineData("page=abc", "page")]
    [InlineData("page=99999999999", "page")]
    [InlineData("pageSize=501", "pageSize")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=1.5", "pageSize")]
    [InlineData("page=2%00", "page")]
    [InlineData("pageSize=5%00%00", "pageSize")]
    public async Task List_BadQueryParameter_Returns400NamingIt(string query, string parameter)
    {
        using var response = await fixture.Client.GetAsync("/api/jobs?" + query);

        var problem = await ApiAssert.ProblemAsync(response, HttpStatusCode.BadRequest);
        ApiAssert.NamesField(problem, parameter);
    }

    [Theory]
    [InlineData("GET", "/api/jobs/abc")]
    [InlineData("DELETE", "/api/jobs/abc")]
    [InlineData("POST", "/api/jobs/abc/requeue")]
    [InlineData("GET", "/api/jobs/99999999999999999999999")]
    public async Task AnyJobRoute_NonNumericId_Returns404Problem(string method, string path)
    {
        var before = fixture.CountJobRows();

        using var response = await fixture.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        await ApiAssert.ProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Equal(before, fixture.CountJobRows());
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    /// <summary>Posts a job that must be refused: checks status, problem+json, the field named, and that nothing was written.</summary>
    private async Task<JsonElement> AssertRefusedAsync(HttpContent content, HttpStatusCode status, string? field = null)
    {
        var before = fixture.CountJobRows();

        using var response = await fixture.Client.PostAsync("/api/jobs", content);

        var problem = await ApiAssert.ProblemAsync(response, status);
        if (field is not null)
        {
            ApiAssert.NamesField(problem, field);
        }

        Assert.Equal(before, fixture.CountJobRows());
        return problem;
    }

    /// <summary>A body whose length the client does not announce, so the server must count while reading.</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
