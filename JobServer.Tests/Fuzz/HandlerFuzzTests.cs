using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using JobServer.Tests.Api;
using JobServer.Tests.Infrastructure;
using Xunit.Abstractions;

namespace JobServer.Tests.Fuzz;

/// <summary>
/// Hostile input that gets past the door: valid but hostile arguments run by real Hangfire servers. A failing job ends
/// Failed with exactly its message in its history; hostile names and projects go through the bulk insert's LOAD DATA
/// file byte for byte and are counted exactly; and the workers go on to run the next job.
/// </summary>
public sealed class HandlerFuzzTests(ApiFixture fixture, ITestOutputHelper output) : IClassFixture<ApiFixture>
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task FailJob_HostileMessages_EachEndsFailedWithExactlyItsMessageAndWorkersGoOn()
    {
        var random = FuzzSeed.For(nameof(FailJob_HostileMessages_EachEndsFailedWithExactlyItsMessageAndWorkersGoOn));
        var messages = Enumerable.Range(0, FuzzSeed.Cases(60)).Select(_ => HostileStrings.NextValid(random, 500)).ToList();
        var jobs = messages.Select(m => $"{{\"type\":\"fail\",\"args\":{{\"message\":{Literal.String(m.Text, m.Class, escapeAll: random.Next(3) == 0).Json}}}}}");

        var ids = await CreateBatchAsync($"{{\"jobs\":[{string.Join(",", jobs)}]}}");

        await UntilAllEndedAsync(ids);
        foreach (var (id, (message, @class)) in ids.Zip(messages))
        {
            var job = await Client.GetJobAsync(id);
            var failure = job.GetProperty("history").EnumerateArray().Last();
            Assert.True(
                job.GetProperty("state").GetString() == "Failed" && failure.GetProperty("exception").GetProperty("message").GetString() == message,
                $"job {id} ({@class} {Json(message)}): {BodyModel.Excerpt(job.GetRawText(), 600)}; {FuzzSeed.Replay}");
        }

        output.WriteLine($"{ids.Count} failing jobs checked, {FuzzSeed.Replay}");
        await AssertWorkersGoOnAsync();
    }

    [Fact]
    public async Task BulkInsert_HostileNamesAndProjects_StoredByteForByteAndCountedExactly()
    {
        var random = FuzzSeed.For(nameof(BulkInsert_HostileNamesAndProjects_StoredByteForByteAndCountedExactly));
        var runs = new List<(long Id, string Name, string Project, int Rows)>();
        var projects = new List<string>();
        for (var i = 0; i < FuzzSeed.Cases(12); i++)
        {
            // Every fourth project differs from the one before only by a trailing space: keys and counts must tell them apart.
            var project = i % 4 == 3 ? projects[^1] + " " : HostileStrings.NextValid(random, 60).Text + "·" + i;
            projects.Add(project);
            var name = HostileStrings.NextValid(random, 64).Text;
            var rows = random.Next(1, 40);
            using var response = await Client.PostAsJsonAsync("/api/bulk-insert", new { rows, name, project, chunkSize = 1000 });
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"bulk insert of ({Json(name)}, {Json(project)}): {(int)response.StatusCode} {body}; {FuzzSeed.Replay}");
            runs.Add((JsonDocument.Parse(body).RootElement.GetProperty("id").GetInt64(), name, project, rows));
        }

        await UntilAllEndedAsync(runs.Select(r => r.Id).ToList());
        using var connection = fixture.Database.Open();
        foreach (var (id, name, project, rows) in runs)
        {
            var stored = connection.Query<(string Name, string Project, long Rows)>(
                "SELECT name, project, COUNT(*) FROM api_data WHERE job_id = @id GROUP BY name, project", new { id }).ToList();
            Assert.True(
                stored.Count == 1 && stored[0].Name == name && stored[0].Project == project && stored[0].Rows == rows,
                $"job {id}: sent ({Json(name)}, {Json(project)}) × {rows}, stored {string.Join("; ", stored.Select(s => $"({Json(s.Name)}, {Json(s.Project)}) × {s.Rows}"))}; {FuzzSeed.Replay}");
            var counted = (await Client.GetFromJsonAsync<JsonElement>($"/api/bulk-insert/count?project={UrlText.Escape(project)}")).GetProperty("rows").GetInt64();
            Assert.True(counted == runs.Where(r => r.Project == project).Sum(r => r.Rows), $"count for {Json(project)}: {counted}; {FuzzSeed.Replay}");
        }

        output.WriteLine($"{runs.Count} bulk inserts checked, {FuzzSeed.Replay}");
    }

    private async Task<List<long>> CreateBatchAsync(string json)
    {
        using var response = await Client.PostAsync("/api/jobs/batch", new StringContent(json, Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode} {body}; {FuzzSeed.Replay}");
        using var created = JsonDocument.Parse(body);
        return created.RootElement.GetProperty("ids").EnumerateArray().Select(i => i.GetInt64()).ToList();
    }

    private async Task UntilAllEndedAsync(IReadOnlyList<long> ids)
    {
        using var connection = fixture.Database.Open();
        await Eventually.UntilAsync(
            () => connection.ExecuteScalar<long>("SELECT COUNT(*) FROM hf_job WHERE id IN @ids AND state_name IN ('Succeeded', 'Failed')", new { ids }),
            ended => ended == ids.Count,
            TimeSpan.FromSeconds(60),
            $"{ids.Count} jobs to end");
    }

    /// <summary>The servers still work: the next job succeeds.</summary>
    private async Task AssertWorkersGoOnAsync()
    {
        var next = await Client.CreateJobAsync(new { type = "sleep" });
        await Client.UntilStateAsync(next, "Succeeded");
    }

    private static string Json(string text) => BodyModel.Excerpt(Literal.String(text, "", escapeAll: true).Json, 120);
}
