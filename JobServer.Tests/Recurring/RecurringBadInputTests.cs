using JobServer.Tests.Api;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace JobServer.Tests.Recurring;

/// <summary>A definition Hangfire would refuse, or could not run, is a 400 naming the field, and writes nothing.</summary>
public sealed class RecurringBadInputTests(ApiFixture host) : IClassFixture<ApiFixture>
{
    [Theory]
    [InlineData("61 * * * *")]
    [InlineData("* * *")]
    [InlineData("* * * * * * *")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("*/0 * * * *")]
    [InlineData("every minute")]
    [InlineData("@sometimes")]
    public Task BadCron_NamesCron(string cron) => AssertRefusedAsync(new { cron, type = "sleep" }, "cron");

    [Theory]
    [InlineData("Mars/Olympus")]
    [InlineData("Berlin")]
    [InlineData("+01:00")]
    [InlineData("")]
    public Task UnknownTimeZone_NamesTimeZone(string timeZone) => AssertRefusedAsync(new { cron = "* * * * *", timeZone, type = "sleep" }, "timeZone");

    [Theory]
    [InlineData("no-such-job")]
    [InlineData("SLEEP")]
    [InlineData("")]
    public Task UnknownType_NamesType(string type) => AssertRefusedAsync(new { cron = "* * * * *", type }, "type");

    [Theory]
    [InlineData("""{"ms": -1}""", "args.ms")]
    [InlineData("""{"ms": "fast"}""", "args.ms")]
    [InlineData("""{"ms": 1, "speed": 2}""", "args.speed")]
    [InlineData("[1]", "args")]
    [InlineData("\"x\"", "args")]
    [InlineData("null", "args")]
    public Task BadArgs_NamesTheArgField(string args, string field) =>
        AssertRefusedAsync($$"""{"cron": "* * * * *", "type": "sleep", "args": {{args}}}""", field);

    [Fact]
    public Task BadBulkInsertArgs_NameTheirFields() =>
        AssertRefusedAsync(new { cron = "* * * * *", type = "bulk-insert", args = new { rows = 0, project = "p" } }, "args.rows");

    [Theory]
    [InlineData("Bad Queue")]
    [InlineData("UPPER")]
    [InlineData("")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public Task BadQueue_NamesQueue(string queue) => AssertRefusedAsync(new { cron = "* * * * *", type = "sleep", queue }, "queue");

    [Fact]
    public Task QueueOtherThanTheTypesFixedQueue_NamesQueue() =>
        AssertRefusedAsync(new { cron = "* * * * *", type = "cpu", queue = "default" }, "queue");

    [Theory]
    [InlineData("\"sometimes\"")]
    [InlineData("\"1\"")]
    [InlineData("1")]
    public Task BadMisfire_NamesMisfire(string misfire) =>
        AssertRefusedAsync($$"""{"cron": "* * * * *", "type": "sleep", "misfire": {{misfire}}}""", "misfire");

    [Theory]
    [InlineData("""{"cron": "* * * * *", "type": "sleep", "colour": "blue"}""", "colour")]
    [InlineData("""{"cron": "* * * * *", "type": "sleep", "Cron": "* * * * *"}""", "Cron")]
    [InlineData("""{"cron": "* * * * *", "type": "sleep", "paused": true}""", "paused")]
    [InlineData("""{"type": "sleep"}""", "cron")]
    [InlineData("""{"cron": null, "type": "sleep"}""", "cron")]
    [InlineData("""{"cron": 5, "type": "sleep"}""", "cron")]
    [InlineData("""{"cron": "* * * * *"}""", "type")]
    [InlineData("""{"cron": "* * * * *", "type": ["sleep"]}""", "type")]
    [InlineData("""{"cron": "* * * * *", "type": "sleep", "timeZone": 1}""", "timeZone")]
    public Task UnknownMissingOrWrongKindOfField_NamesIt(string body, string field) => AssertRefusedAsync(body, field);

    [Theory]
    [InlineData("""{"cron": "* * * * *", "type": "sleep",""")]
    [InlineData("[]")]
    [InlineData("")]
    public Task BodyNotAJsonObject_NamesBody(string body) => AssertRefusedAsync(body, "body");

    [Theory]
    [InlineData("bad%20id%21")]
    [InlineData("%C3%A9t%C3%A9")]
    [InlineData("x%0A")]
    public Task IdWithIllegalCharacters_NamesId(string escapedId) =>
        AssertRefusedAsync(new { cron = "* * * * *", type = "sleep" }, "id", $"/api/recurring/{escapedId}");

    [Fact]
    public Task IdLongerThan80_NamesId() =>
        AssertRefusedAsync(new { cron = "* * * * *", type = "sleep" }, "id", $"/api/recurring/{new string('x', 81)}");

    [Fact]
    public async Task EveryFieldAtFault_IsNamed()
    {
        var problem = await PutAsync(new { cron = "61 * * * *", timeZone = "Mars/Olympus", type = "sleep", args = new { ms = -1 }, misfire = "never" }, "/api/recurring/" + RecurringTestKit.NewId("many"));
        Assert.Equal(["args.ms", "cron", "misfire", "timeZone"], problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task RefusedUpdate_LeavesTheExistingDefinitionAsItWas()
    {
        var id = RecurringTestKit.NewId("keep");
        var before = await host.Client.PutRecurringAsync(id, new { cron = "0 6 * * *", type = "sleep", args = new { ms = 1 } });

        await PutAsync(new { cron = "0 7 * * *", type = "sleep", args = new { ms = -1 } }, RecurringTestKit.Path(id));

        var after = await host.Client.GetRecurringAsync(id);
        Assert.Equal(before.GetProperty("cron").GetString(), after.GetProperty("cron").GetString());
        Assert.Equal(1, after.GetProperty("args").GetProperty("ms").GetInt32());
    }

    /// <summary>Puts a definition that must be refused: a 400 naming <paramref name="field"/>, and no recurring job written.</summary>
    private async Task AssertRefusedAsync(object body, string field, string? path = null)
    {
        path ??= "/api/recurring/" + RecurringTestKit.NewId("refused");
        var rows = RecurringTestKit.CountRecurringRows(host.Database);

        var problem = await PutAsync(body, path);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"expected an error of '{field}': {problem}");
        Assert.Contains(field + ":", problem.GetProperty("detail").GetString());
        Assert.Equal(rows, RecurringTestKit.CountRecurringRows(host.Database));
    }

    private async Task<JsonElement> PutAsync(object body, string path)
    {
        using var content = new StringContent(body as string ?? JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        using var response = await host.Client.PutAsync(path, content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"expected 400, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonSerializer.Deserialize<JsonElement>(text);
    }
}
