using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;

namespace JobServer.Tests.Api;

/// <summary>Issue 3 §5: <c>POST /api/bulk-insert</c> and <c>GET /api/bulk-insert/count</c> against the real host and MariaDB.</summary>
public sealed class BulkInsertEndpointsTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task Create_25000RowsInChunksOf5000_Returns202AndSucceedsWithProgressAndResult()
    {
        var project = BulkInsertApi.NewProject();

        using var response = await Client.PostBulkInsertAsync(new { rows = 25_000, name = "nameJams", project, chunkSize = 5_000 });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["id", "state"], created.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        var id = created.GetProperty("id").GetInt64();
        Assert.Equal("Enqueued", created.GetProperty("state").GetString());
        Assert.Equal($"/api/jobs/{id}", response.Headers.Location?.OriginalString);

        var job = await Client.UntilStateAsync(id, "Succeeded");
        Assert.Equal("bulk-insert", job.GetProperty("type").GetString());
        Assert.Equal(
            $$"""{"rows":25000,"name":"nameJams","project":"{{project}}","chunkSize":5000}""",
            job.GetProperty("args").GetRawText());
        Assert.Equal((25_000, 25_000), (job.GetProperty("progress").GetProperty("done").GetInt64(), job.GetProperty("progress").GetProperty("total").GetInt64()));
        var result = job.GetProperty("result");
        Assert.Equal(25_000, result.GetProperty("rows").GetInt32());
        Assert.Equal(5, result.GetProperty("chunks").GetInt32());
        Assert.Equal(5_000, result.GetProperty("chunkSize").GetInt32());
        Assert.Equal(25_000, result.GetProperty("insertedRows").GetInt64());
    }

    [Fact]
    public async Task Create_25000Rows_WritesEachSeqOnceAndCountReturnsExactly25000()
    {
        var project = BulkInsertApi.NewProject();
        var id = await Client.CreateBulkInsertAsync(new { rows = 25_000, project, chunkSize = 5_000 });
        await Client.UntilStateAsync(id, "Succeeded");

        var count = await Client.CountAsync(project);

        Assert.Equal(project, count.GetProperty("project").GetString());
        Assert.Equal(25_000, count.GetProperty("rows").GetInt64());
        using var connection = fixture.Database.Open();
        var rows = connection.QuerySingle<(long Total, long Distinct, long First, long Last, long Other)>(
            """
            SELECT COUNT(*), COUNT(DISTINCT seq), MIN(seq), MAX(seq), SUM(name <> 'nameJams' OR project <> @project)
            FROM api_data
            WHERE job_id = @id
            """,
            new { id, project });
        Assert.Equal((25_000L, 25_000L, 1L, 25_000L, 0L), rows);
    }

    [Fact]
    public async Task Create_NameGiven_WritesItOnEveryRow()
    {
        var project = BulkInsertApi.NewProject();
        var id = await Client.CreateBulkInsertAsync(new { rows = 1_500, name = "Ünïcode ☃", project, chunkSize = 1_000 });
        await Client.UntilStateAsync(id, "Succeeded");

        using var connection = fixture.Database.Open();
        var names = connection.Query<(string Name, long Rows)>(
            "SELECT name, COUNT(*) FROM api_data WHERE job_id = @id GROUP BY name", new { id }).ToList();
        Assert.Equal([("Ünïcode ☃", 1_500L)], names);
    }

    [Fact]
    public async Task Create_WithDelay_Returns202Scheduled()
    {
        var id = await Client.CreateBulkInsertAsync(new { rows = 10, project = BulkInsertApi.NewProject(), delay = "01:00:00" }, expectedState: "Scheduled");

        var job = await Client.GetJobAsync(id);
        Assert.Equal("Scheduled", job.GetProperty("state").GetString());
        await Client.DeleteJobAsync(id);
    }

    [Fact]
    public async Task Create_WithRunAtAndQueue_IsScheduledOnThatQueue()
    {
        var runAt = DateTime.UtcNow.AddDays(1).ToString("O");

        var id = await Client.CreateBulkInsertAsync(new { rows = 10, project = BulkInsertApi.NewProject(), runAt, queue = BulkInsertApi.IdleQueue }, expectedState: "Scheduled");

        var job = await Client.GetJobAsync(id);
        Assert.Equal(BulkInsertApi.IdleQueue, job.GetProperty("queue").GetString());
        await Client.DeleteJobAsync(id);
    }

    [Fact]
    public async Task Count_TwoProjects_CountsEachApartAndAllTogether()
    {
        var (p, q) = (BulkInsertApi.NewProject(), BulkInsertApi.NewProject());
        var first = await Client.CreateBulkInsertAsync(new { rows = 3_000, project = p, chunkSize = 1_000 });
        var second = await Client.CreateBulkInsertAsync(new { rows = 2_000, project = q, chunkSize = 1_000 });
        await Client.UntilStateAsync(first, "Succeeded");
        await Client.UntilStateAsync(second, "Succeeded");

        var countP = await Client.CountAsync(p);
        var countQ = await Client.CountAsync(q);
        var all = await Client.CountAsync();

        Assert.Equal(3_000, countP.GetProperty("rows").GetInt64());
        Assert.Equal(2_000, countQ.GetProperty("rows").GetInt64());
        Assert.Equal(JsonValueKind.Null, all.GetProperty("project").ValueKind);
        using var connection = fixture.Database.Open();
        Assert.Equal(connection.ExecuteScalar<long>("SELECT COUNT(*) FROM api_data"), all.GetProperty("rows").GetInt64());
        Assert.True(all.GetProperty("rows").GetInt64() >= 5_000);
    }

    [Fact]
    public async Task Count_ProjectWithNoRows_ReturnsZero()
    {
        var project = BulkInsertApi.NewProject();

        var count = await Client.CountAsync(project);

        Assert.Equal(["project", "rows"], count.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(project, count.GetProperty("project").GetString());
        Assert.Equal(0, count.GetProperty("rows").GetInt64());
    }
}
