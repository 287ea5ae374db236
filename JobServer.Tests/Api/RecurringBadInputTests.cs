using System.Net;
using System.Text;
using System.Text.Json;

namespace JobServer.Tests.Api;

/// <summary>Issue 4 §1: a refused definition is a 400 naming the field, and writes nothing.</summary>
public sealed class RecurringBadInputTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    [Theory]
    [InlineData("61 * * * *")]
    [InlineData("* * *")]
    [InlineData("* * * * * * *")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("*/0 * * * *")]
    [InlineData("5-1 * * * *")]
    [InlineData("0 0 30 2 *")]
    [InlineData("every minute")]
    public async Task Put_BadCron_Returns400NamingCron(string cron) =>
        await AssertRefusedAsync(Body(new { cron, type = "sleep" }), "cron");

    [Theory]
    [InlineData("Mars/Olympus")]
    [InlineData("Berlin")]
    [InlineData("+01:00")]
    [InlineData("")]
    public async Task Put_UnknownTimeZone_Returns400NamingTimeZone(string timeZone) =>
        await AssertRefusedAsync(Body(new { cron = "* * * * *", timeZone, type = "sleep" }), "timeZone");

    [Theory]
    [InlineData("no-such-job")]
    [InlineData("SLEEP")]
    [InlineData("")]
    public async Task Put_UnknownType_Returns400NamingType(string type) =>
        await AssertRefusedAsync(Body(new { cron = "* * * * *", type }), "type");

    [Theory]
    [InlineData("""{"ms": -1}""", "args.ms")]
    [InlineData("""{"ms": "fast"}""", "args.ms")]
    [InlineData("""{"ms": 1, "speed": 2}""", "args.speed")]
    [InlineData("[1]", "args")]
    [InlineData("\"x\"", "args")]
    public async Task Put_BadArgs_Returns400NamingTheArgField(string args, string field) =>
        await AssertRefusedAsync($$"""{"cron": "* * * * *", "type": "sleep", "args": {{args}}}""", field);

    [Theory]
    [InlineData("Bad Queue")]
    [InlineData("UPPER")]
    [InlineData("")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public async Task Put_BadQueue_Returns400NamingQueue(string queue) =>
        await AssertRefusedAsync(Body(new { cron = "* * * * *", type = "sleep", queue }), "queue");

    [Theory]
    [InlineData("\"sometimes\"")]
    [InlineData("\"FireOnce\"")]
    [InlineData("1")]
    public async Task Put_BadMisfire_Returns400NamingMisfire(string misfire) =>
        await AssertRefusedAsync($$"""{"cron": "* * * * *", "type": "sleep", "misfire": {{misfire}}}""", "misfire");

    [Theory]
    [InlineData("""{"cron": "* * * * *", "type": "sleep", "colour": "blue"}""", "colour")]
    [InlineData("""{"cron": "* * * * *", "type": "sleep", "Cron": "* * * * *"}""", "Cron")]
    [InlineData("""{"cron": "* * * * *", "type": "sleep", "paused": true}""", "paused")]
    public async Task Put_UnknownField_Returns400NamingIt(string body, string field) =>
        await AssertRefusedAsync(body, field);

    [Theory]
    [InlineData("""{"type": "sleep"}""", "cron")]
    [InlineData("""{"cron": null, "type": "sleep"}""", "cron")]
    [InlineData("""{"cron": 5, "type": "sleep"}""", "cron")]
    [InlineData("""{"cron": "* * * * *"}""", "type")]
    [InlineData("""{"cron": "* * * * *", "type": ["sleep"]}""", "type")]
    public async Task Put_MissingOrWrongKindOfRequiredField_Returns400NamingIt(string body, string field) =>
        await AssertRefusedAsync(body, field);

    [Theory]
    [InlineData("""{"cron": "* * * * *", "type": "sleep",""")]
    [InlineData("[]")]
    [InlineData("")]
    public async Task Put_BodyNotAJsonObject_Returns400NamingBody(string body) =>
        await AssertRefusedAsync(body, "body");

    [Theory]
    [InlineData("bad%20id%21")]
    [InlineData("a%2Fb")]
    [InlineData("%C3%A9t%C3%A9")]
    [InlineData("x%0A")]
    public async Task Put_IdWithIllegalCharacters_Returns400NamingId(string escapedId) =>
        await AssertRefusedAsync(Body(new { cron = "* * * * *", type = "sleep" }), "id", $"/api/recurring/{escapedId}");

    [Fact]
    public async Task Put_IdLongerThan100_Returns400NamingId() =>
        await AssertRefusedAsync(Body(new { cron = "* * * * *", type = "sleep" }), "id", $"/api/recurring/{new string('x', 101)}");

    private static string Body(object body) => JsonSerializer.Serialize(body);

    /// <summary>Puts a definition that must be refused: a 400 naming <paramref name="field"/>, and no row written.</summary>
    private async Task AssertRefusedAsync(string body, string field, string path = "/api/recurring/refused")
    {
        var (definitions, jobs) = (fixture.CountDefinitions(), fixture.CountJobRows());

        using var response = await fixture.Client.PutAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

        ApiAssert.NamesField(await ApiAssert.ProblemAsync(response, HttpStatusCode.BadRequest), field);
        Assert.Equal((definitions, jobs), (fixture.CountDefinitions(), fixture.CountJobRows()));
    }
}
