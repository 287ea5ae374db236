using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace JobServer.Tests.Api;

/// <summary>Issue 4 §1 over HTTP: defining, reading and removing recurring jobs. Firing is in <see cref="RecurringSchedulingTests"/>.</summary>
public sealed class RecurringEndpointsTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    // A schedule that does not fire while a test runs, so "before any run" holds for as long as the test needs.
    private const string Yearly = "0 0 1 1 *";

    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task Put_NewDefinition_Returns201WithLocationAndEveryField()
    {
        var id = RecurringApi.NewId("put");

        using var response = await Client.PutAsJsonAsync(
            $"/api/recurring/{id}",
            new { cron = "*/5 * * * * *", timeZone = "Europe/Berlin", type = "sleep", args = new { ms = 0 }, queue = "default" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/api/recurring/{id}", response.Headers.Location?.OriginalString);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(
            ["args", "cron", "description", "id", "lastJobId", "lastJobState", "lastRunAt", "misfire", "nextOccurrences", "nextRunAt", "paused", "queue", "timeZone", "type"],
            body.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(id, body.GetProperty("id").GetString());
        Assert.Equal("*/5 * * * * *", body.GetProperty("cron").GetString());
        Assert.Equal("every 5 seconds (Europe/Berlin)", body.GetProperty("description").GetString());
        Assert.Equal("Europe/Berlin", body.GetProperty("timeZone").GetString());
        Assert.Equal("sleep", body.GetProperty("type").GetString());
        Assert.Equal("""{"ms":0}""", body.GetProperty("args").GetRawText());
        Assert.Equal("default", body.GetProperty("queue").GetString());
        Assert.Equal("fireOnce", body.GetProperty("misfire").GetString());
        Assert.False(body.GetProperty("paused").GetBoolean());
        var nextRunAt = ApiAssert.UtcTime(body, "nextRunAt");
        Assert.Equal(0, nextRunAt.Second % 5);
        Assert.NotEmpty(RecurringApi.UtcTimes(body.GetProperty("nextOccurrences")));
        await Client.DeleteRecurringAsync(id);
    }

    [Fact]
    public async Task Put_ExistingDefinitionWithNewCron_Returns200WithNewCron()
    {
        var id = RecurringApi.NewId("update");
        await Client.PutRecurringAsync(id, new { cron = Yearly, type = "sleep" });

        var updated = await Client.PutRecurringAsync(id, new { cron = "0 12 * * *", type = "sleep", args = new { ms = 7 } }, HttpStatusCode.OK);

        Assert.Equal("0 12 * * *", updated.GetProperty("cron").GetString());
        Assert.Equal(7, updated.GetProperty("args").GetProperty("ms").GetInt32());
        var nextRunAt = ApiAssert.UtcTime(updated, "nextRunAt");
        Assert.Equal(new TimeSpan(12, 0, 0), nextRunAt.TimeOfDay);
        Assert.Equal("0 12 * * *", (await Client.GetRecurringAsync(id)).GetProperty("cron").GetString());
        await Client.DeleteRecurringAsync(id);
    }

    [Fact]
    public async Task Put_SameNewIdInParallel_OneCreatesAndTheOthersUpdate()
    {
        // Every server seeds its configured definitions at start-up, so the same id is routinely created at once.
        for (var round = 0; round < 5; round++)
        {
            var id = RecurringApi.NewId("race");

            var statuses = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
            {
                using var response = await Client.PutAsJsonAsync($"/api/recurring/{id}", new { cron = Yearly, type = "sleep" });
                return response.StatusCode;
            }));

            Assert.Equal("Created, OK, OK, OK, OK, OK, OK, OK", string.Join(", ", statuses.OrderByDescending(s => s == HttpStatusCode.Created)));
            await Client.DeleteRecurringAsync(id);
        }
    }

    [Fact]
    public async Task Put_WithoutTimeZoneAndQueue_DefaultsToUtcAndTheTypesQueue()
    {
        var id = RecurringApi.NewId("defaults");

        var body = await Client.PutRecurringAsync(id, new { cron = Yearly, type = "sleep" });

        Assert.Equal("UTC", body.GetProperty("timeZone").GetString());
        Assert.Equal("default", body.GetProperty("queue").GetString());
        Assert.Equal("fireOnce", body.GetProperty("misfire").GetString());
        Assert.Equal("""{"ms":0}""", body.GetProperty("args").GetRawText());
        var nextRunAt = ApiAssert.UtcTime(body, "nextRunAt");
        Assert.Equal((1, 1, TimeSpan.Zero), (nextRunAt.Month, nextRunAt.Day, nextRunAt.TimeOfDay));
        await Client.DeleteRecurringAsync(id);
    }

    [Fact]
    public async Task Put_WithSkipMisfireAndOwnQueue_KeepsBoth()
    {
        var id = RecurringApi.NewId("skip");

        var body = await Client.PutRecurringAsync(id, new { cron = Yearly, type = "sleep", queue = "idle-recurring", misfire = "skip" });

        Assert.Equal("idle-recurring", body.GetProperty("queue").GetString());
        Assert.Equal("skip", body.GetProperty("misfire").GetString());
        await Client.DeleteRecurringAsync(id);
    }

    [Fact]
    public async Task Get_BeforeAnyRun_HasFiveIncreasingUtcOccurrencesAndNoLastJob()
    {
        var id = RecurringApi.NewId("get");
        await Client.PutRecurringAsync(id, new { cron = "0 12 * * *", timeZone = "Europe/Berlin", type = "sleep" });

        var body = await Client.GetRecurringAsync(id);

        var occurrences = RecurringApi.UtcTimes(body.GetProperty("nextOccurrences"));
        Assert.Equal(5, occurrences.Count);
        Assert.Equal(ApiAssert.UtcTime(body, "nextRunAt"), occurrences[0]);
        Assert.All(occurrences.Zip(occurrences.Skip(1)), pair => Assert.True(pair.First < pair.Second, $"{pair.First:O} < {pair.Second:O}"));
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        Assert.All(occurrences, o => Assert.Equal(new TimeSpan(12, 0, 0), TimeZoneInfo.ConvertTimeFromUtc(o, berlin).TimeOfDay));
        Assert.Equal(JsonValueKind.Null, body.GetProperty("lastJobId").ValueKind);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("lastJobState").ValueKind);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("lastRunAt").ValueKind);
        await Client.DeleteRecurringAsync(id);
    }

    [Fact]
    public async Task List_AfterPut_ContainsTheDefinitionWithItsNextOccurrence()
    {
        var id = RecurringApi.NewId("list");
        await Client.PutRecurringAsync(id, new { cron = Yearly, type = "sleep" });

        var list = await Client.GetFromJsonAsync<JsonElement>("/api/recurring");

        var item = Assert.Single(list.EnumerateArray(), d => d.GetProperty("id").GetString() == id);
        Assert.Equal(Yearly, item.GetProperty("cron").GetString());
        Assert.Equal([ApiAssert.UtcTime(item, "nextRunAt")], RecurringApi.UtcTimes(item.GetProperty("nextOccurrences")));
        await Client.DeleteRecurringAsync(id);
    }

    [Fact]
    public async Task Delete_ExistingDefinition_Returns204ThenGetReturns404()
    {
        var id = RecurringApi.NewId("delete");
        await Client.PutRecurringAsync(id, new { cron = Yearly, type = "sleep" });

        using var response = await Client.DeleteAsync($"/api/recurring/{id}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        using var get = await Client.GetAsync($"/api/recurring/{id}");
        await ApiAssert.ProblemAsync(get, HttpStatusCode.NotFound);
        Assert.DoesNotContain(
            (await Client.GetFromJsonAsync<JsonElement>("/api/recurring")).EnumerateArray(),
            d => d.GetProperty("id").GetString() == id);
    }

    [Theory]
    [InlineData("GET", "")]
    [InlineData("DELETE", "")]
    [InlineData("POST", "/trigger")]
    [InlineData("POST", "/pause")]
    [InlineData("POST", "/resume")]
    public async Task UnknownId_AnyMethod_Returns404Problem(string method, string suffix)
    {
        var before = fixture.CountJobRows();

        using var response = await Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), $"/api/recurring/no-such-recurring{suffix}"));

        var problem = await ApiAssert.ProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Contains("no-such-recurring", problem.GetProperty("detail").GetString());
        Assert.Equal(before, fixture.CountJobRows());
    }

    [Theory]
    [InlineData("GET", "")]
    [InlineData("DELETE", "")]
    [InlineData("POST", "/trigger")]
    [InlineData("POST", "/pause")]
    [InlineData("POST", "/resume")]
    public async Task IdWithATrailingSpace_AnyMethod_Returns404AndLeavesTheDefinitionWithoutIt(string method, string suffix)
    {
        // Found by the fuzzer: the id column compares with PAD SPACE, so "x " found, triggered or deleted "x".
        var id = RecurringApi.NewId("padded");
        await Client.PutRecurringAsync(id, new { cron = Yearly, type = "sleep" });
        var before = fixture.CountJobRows();

        using var response = await Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), $"/api/recurring/{id}%20{suffix}"));

        await ApiAssert.ProblemAsync(response, HttpStatusCode.NotFound);
        var definition = await Client.GetRecurringAsync(id);
        Assert.False(definition.GetProperty("paused").GetBoolean());
        Assert.Null(RecurringApi.LastJobId(definition));
        Assert.Equal(before, fixture.CountJobRows());
    }
}
