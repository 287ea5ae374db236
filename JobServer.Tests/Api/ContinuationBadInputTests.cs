using System.Net;
using System.Text;
using System.Text.Json;
using JobServer.Tests.Infrastructure;

namespace JobServer.Tests.Api;

/// <summary>Issue 4 §4: continuations that can never run, or are malformed, are refused by name and write nothing.</summary>
public sealed class ContinuationBadInputTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private const long MissingJob = 987654321;

    [Fact]
    public async Task Create_AfterMissingJob_Returns400NamingAfter()
    {
        var problem = await AssertRefusedAsync($$"""{"type": "sleep", "after": {{MissingJob}}}""", HttpStatusCode.BadRequest, "after");

        Assert.Contains(MissingJob.ToString(), problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("success")]
    public async Task Create_SuccessOnlyAfterDeletedParent_Returns409(string? continueOn)
    {
        var parent = await fixture.Client.CreateJobAsync(new { type = "sleep", queue = "idle-continuation" });
        await fixture.Client.DeleteJobAsync(parent);

        var problem = await AssertRefusedAsync(JsonSerializer.Serialize(new { type = "sleep", after = parent, continueOn }), HttpStatusCode.Conflict);

        Assert.Contains($"Job {parent} is Deleted", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Create_WaitingTypeAfterParentWhileItsKeyIsHeld_Returns409NamingTheHolder()
    {
        // A job cannot wait in two lines at once, so such a continuation is refused; the answer names who holds the key.
        var key = "after-" + Guid.NewGuid().ToString("N")[..8];
        var holder = await fixture.Client.CreateJobAsync(new { type = TestJobRegistration.KeyedWait, args = new { key, firstAttemptSleepMs = 600_000 } });
        await fixture.Log.StartedAsync(holder);
        var parent = await fixture.Client.CreateJobAsync(new { type = "sleep", queue = "idle-continuation" });

        var problem = await AssertRefusedAsync(
            JsonSerializer.Serialize(new { type = TestJobRegistration.KeyedWait, args = new { key }, after = parent }), HttpStatusCode.Conflict);

        Assert.Equal([holder], problem.GetProperty("existingJobIds").EnumerateArray().Select(j => j.GetInt64()));
        Assert.Contains($"job {holder}", problem.GetProperty("detail").GetString());
        await fixture.Client.DeleteJobAsync(holder);
        await fixture.Client.DeleteJobAsync(parent);
    }

    [Theory]
    [InlineData("delay", "00:01:00")]
    [InlineData("delay", "00:00:00")]
    [InlineData("runAt", "2030-01-01T00:00:00Z")]
    public async Task Create_AfterWithDelayOrRunAt_Returns400NamingAfter(string field, string value)
    {
        var parent = await fixture.Client.CreateJobAsync(new { type = "sleep", queue = "idle-continuation" });

        var problem = await AssertRefusedAsync($$"""{"type": "sleep", "after": {{parent}}, "{{field}}": "{{value}}"}""", HttpStatusCode.BadRequest, "after");

        Assert.Contains("delay or runAt", problem.GetProperty("detail").GetString());
        await fixture.Client.DeleteJobAsync(parent);
    }

    [Theory]
    [InlineData("""{"type": "sleep", "continueOn": "anyFinalState"}""")]
    [InlineData("""{"type": "sleep", "continueOn": "success"}""")]
    [InlineData("""{"type": "sleep", "after": null, "continueOn": "anyFinalState"}""")]
    public async Task Create_ContinueOnWithoutAfter_Returns400NamingContinueOn(string body) =>
        await AssertRefusedAsync(body, HttpStatusCode.BadRequest, "continueOn");

    [Theory]
    [InlineData("\"sometimes\"")]
    [InlineData("\"AnyFinalState\"")]
    [InlineData("\"\"")]
    [InlineData("1")]
    [InlineData("true")]
    public async Task Create_BadContinueOn_Returns400NamingContinueOn(string continueOn)
    {
        var parent = await fixture.Client.CreateJobAsync(new { type = "sleep", queue = "idle-continuation" });

        await AssertRefusedAsync($$"""{"type": "sleep", "after": {{parent}}, "continueOn": {{continueOn}}}""", HttpStatusCode.BadRequest, "continueOn");

        await fixture.Client.DeleteJobAsync(parent);
    }

    [Theory]
    [InlineData("\"5\"")]
    [InlineData("-1")]
    [InlineData("0")]
    [InlineData("1.5")]
    [InlineData("1e3")]
    [InlineData("9223372036854775808")]
    [InlineData("true")]
    [InlineData("[1]")]
    [InlineData("{}")]
    public async Task Create_AfterNotAPositiveWholeNumber_Returns400NamingAfter(string after) =>
        await AssertRefusedAsync($$"""{"type": "sleep", "after": {{after}}}""", HttpStatusCode.BadRequest, "after");

    /// <summary>Posts a job that must be refused: the status, the field named, and no job, history or link written.</summary>
    private async Task<JsonElement> AssertRefusedAsync(string body, HttpStatusCode status, string? field = null)
    {
        var before = fixture.CountRows();

        using var response = await fixture.Client.PostAsync("/api/jobs", new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = await ApiAssert.ProblemAsync(response, status);
        if (field is not null)
        {
            ApiAssert.NamesField(problem, field);
        }

        Assert.Equal(before, fixture.CountRows());
        return problem;
    }
}
