using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace JobServer.Tests.Api;

/// <summary>Every way a job request can be wrong gets a 4xx problem naming the field, and writes nothing.</summary>
public sealed class BadInputTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private HttpClient Client => fixture.Client;

    public static TheoryData<string, string> InvalidBodies => new()
    {
        { """{"args": {"ms": 1}}""", "type" },
        { """{"type": "nope"}""", "type" },
        { """{"type": 5}""", "type" },
        { """{"type": "sleep", "args": {"ms": -1}}""", "args.ms" },
        { """{"type": "sleep", "args": {"ms": "10"}}""", "args.ms" },
        { """{"type": "sleep", "args": {"ms": 1, "extra": 1}}""", "args.extra" },
        { """{"type": "sleep", "args": [1]}""", "args" },
        { """{"type": "sleep", "colour": "red"}""", "colour" },
        { """{"type": "sleep", "queue": "Upper"}""", "queue" },
        { """{"type": "sleep", "queue": ""}""", "queue" },
        { """{"type": "cpu", "args": {"n": 100}, "queue": "default"}""", "queue" },
        { """{"type": "sleep", "delay": "30"}""", "delay" },
        { """{"type": "sleep", "delay": "-00:00:01"}""", "delay" },
        { """{"type": "sleep", "delay": "00:01:00", "runAt": "2030-01-01T00:00:00Z"}""", "delay" },
        { """{"type": "sleep", "runAt": "01/02/2030"}""", "runAt" },
        { """{"type": "sleep", "runAt": "9999-01-01T00:00:00Z"}""", "runAt" },
        { """{"type": "sleep", "after": 999999999}""", "after" },
        { """{"type": "sleep", "after": "1"}""", "after" },
        { """{"type": "sleep", "after": 0}""", "after" },
        { """{"type": "sleep", "continueOn": "success"}""", "continueOn" },
        { """[1, 2]""", "body" },
        { """{"type": "sleep", "type": "fail"}""", "type" },
        { """{"type": "sleep", "args": {"ms": 1}""", "body" },
        { "", "body" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task InvalidBody_Is400NamingTheField_AndWritesNothing(string body, string field)
    {
        var before = fixture.CountJobRows();

        using var response = await Client.PostAsync("/api/jobs", new StringContent(body, Encoding.UTF8, "application/json"));

        await JobApi.AssertProblemAsync(response, HttpStatusCode.BadRequest, field);
        Assert.Equal(before, fixture.CountJobRows());
    }

    [Fact]
    public async Task AfterWithDelay_Is400()
    {
        var parent = await Client.CreateJobAsync(new { type = "sleep", args = new { ms = 0 }, delay = "01:00:00" }, "Scheduled");

        using var response = await Client.PostAsJsonAsync("/api/jobs", new { type = "sleep", after = parent, delay = "00:01:00" });

        await JobApi.AssertProblemAsync(response, HttpStatusCode.BadRequest, "after");
        await Client.DeleteJobAsync(parent);
    }

    [Fact]
    public async Task NotJson_Is415()
    {
        using var response = await Client.PostAsync("/api/jobs", new StringContent("type=sleep", Encoding.UTF8, "application/x-www-form-urlencoded"));

        await JobApi.AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task BodyOverOneMegabyte_Is413()
    {
        var body = $$"""{"type": "sleep", "args": {"ms": 1}, "pad": "{{new string('x', 1024 * 1024)}}"}""";

        using var response = await Client.PostAsync("/api/jobs", new StringContent(body, Encoding.UTF8, "application/json"));

        await JobApi.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Theory]
    [InlineData("state=Running", "state")]
    [InlineData("queue=UPPER", "queue")]
    [InlineData("type=nope", "type")]
    [InlineData("page=0", "page")]
    [InlineData("page=x", "page")]
    [InlineData("pageSize=501", "pageSize")]
    [InlineData("pageSize=-1", "pageSize")]
    public async Task InvalidListQuery_Is400NamingTheParameter(string query, string field)
    {
        using var response = await Client.GetAsync("/api/jobs?" + query);

        await JobApi.AssertProblemAsync(response, HttpStatusCode.BadRequest, field);
    }
}
