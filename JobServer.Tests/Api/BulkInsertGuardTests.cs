using System.Net;
using Dapper;
using JobServer.Tests.Infrastructure;

namespace JobServer.Tests.Api;

/// <summary>
/// Issue 3 §6 over HTTP: while a bulk insert for a project is Enqueued, Scheduled or Processing, another for it is
/// refused with a 409 naming the job in flight; other projects are unaffected; the guard is released when it ends.
/// </summary>
public sealed class BulkInsertGuardTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task Create_SameProjectWhileProcessing_Returns409ThenAcceptsOnceItSucceeds()
    {
        var project = BulkInsertApi.NewProject();
        long first;
        using (var lockedTable = fixture.Database.Open())
        {
            // Holds the job in Processing: its first chunk waits for api_data until the table is unlocked.
            lockedTable.Execute("LOCK TABLES api_data WRITE");
            try
            {
                first = await Client.CreateBulkInsertAsync(new { rows = 2_000, project, chunkSize = 1_000 });
                await Client.UntilStateAsync(first, "Processing");
                var before = fixture.CountJobRows();

                using var second = await Client.PostBulkInsertAsync(new { rows = 2_000, project, chunkSize = 1_000 });

                await BulkInsertApi.AssertRefusedForAsync(second, project, first);
                Assert.Equal(before, fixture.CountJobRows());
                Assert.Equal("Processing", (await Client.GetJobAsync(first)).GetProperty("state").GetString());
            }
            finally
            {
                lockedTable.Execute("UNLOCK TABLES");
            }
        }

        await Client.UntilStateAsync(first, "Succeeded");
        var next = await Client.CreateBulkInsertAsync(new { rows = 1_000, project });
        await Client.UntilStateAsync(next, "Succeeded");
        Assert.Equal(3_000, (await Client.CountAsync(project)).GetProperty("rows").GetInt64());
    }

    [Theory]
    [InlineData("Enqueued")]
    [InlineData("Scheduled")]
    public async Task Create_SameProjectWhileWaitingToRun_Returns409NamingTheJob(string state)
    {
        var project = BulkInsertApi.NewProject();
        var first = await Client.CreateBulkInsertAsync(WaitingToRun(project, state), expectedState: state);
        var before = fixture.CountWrites();

        using var second = await Client.PostBulkInsertAsync(new { rows = 10, project });

        await BulkInsertApi.AssertRefusedForAsync(second, project, first);
        Assert.Equal(before, fixture.CountWrites());
        Assert.Equal(1, fixture.CountJobsFor(project));
        await Client.DeleteJobAsync(first);
    }

    [Fact]
    public async Task Create_OtherProjectWhileOneIsInFlight_Returns202()
    {
        var (p, q) = (BulkInsertApi.NewProject(), BulkInsertApi.NewProject());
        var first = await Client.CreateBulkInsertAsync(WaitingToRun(p, "Enqueued"));

        var other = await Client.CreateBulkInsertAsync(new { rows = 1_000, project = q });

        await Client.UntilStateAsync(other, "Succeeded");
        Assert.Equal(1_000, (await Client.CountAsync(q)).GetProperty("rows").GetInt64());
        Assert.Equal("Enqueued", (await Client.GetJobAsync(first)).GetProperty("state").GetString());
        await Client.DeleteJobAsync(first);
    }

    [Fact]
    public async Task Create_ProjectDifferingOnlyByATrailingSpace_IsAnotherKey()
    {
        // Found by the fuzzer: the key columns compare with PAD SPACE, so "p " was refused as if it were "p".
        var project = BulkInsertApi.NewProject();
        var first = await Client.CreateBulkInsertAsync(WaitingToRun(project, "Enqueued"));

        var padded = await Client.CreateBulkInsertAsync(WaitingToRun(project + " ", "Enqueued"));

        using (var again = await Client.PostBulkInsertAsync(WaitingToRun(project + " ", "Enqueued")))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        }

        await Client.DeleteJobAsync(first);
        await Client.DeleteJobAsync(padded);
    }

    [Theory]
    [InlineData("Enqueued")]
    [InlineData("Scheduled")]
    public async Task Delete_JobWaitingToRun_ReleasesTheProject(string state)
    {
        var project = BulkInsertApi.NewProject();
        var first = await Client.CreateBulkInsertAsync(WaitingToRun(project, state), expectedState: state);
        using (var refused = await Client.PostBulkInsertAsync(new { rows = 10, project }))
        {
            await BulkInsertApi.AssertRefusedForAsync(refused, project, first);
        }

        await Client.DeleteJobAsync(first);

        var next = await Client.CreateBulkInsertAsync(new { rows = 1_000, project });
        await Client.UntilStateAsync(next, "Succeeded");
        Assert.Equal(1_000, (await Client.CountAsync(project)).GetProperty("rows").GetInt64());
    }

    [Fact]
    public async Task Create_TwoAtOnceForEachOfTenProjects_AcceptsExactlyOneEach()
    {
        var projects = Enumerable.Range(0, 10).Select(_ => BulkInsertApi.NewProject()).ToList();

        // All twenty at once: pairs race for their key while other keys are taken alongside.
        var responses = await Task.WhenAll(projects.SelectMany(p => new[] { p, p }).Select(p => Client.PostBulkInsertAsync(WaitingToRun(p, "Enqueued"))));

        try
        {
            foreach (var (project, pair) in projects.Zip(responses.Chunk(2)))
            {
                await AssertOneAcceptedOneRefusedAsync(project, pair);
            }
        }
        finally
        {
            await DeleteAcceptedAsync(responses);
        }
    }

    [Fact]
    public async Task Create_TwoAtOnceForSameProjectOnTwoServers_AcceptsExactlyOne()
    {
        await using var otherServer = new ApiFactory(fixture.Database.ConnectionString, services => services.AddTestJobs(fixture.Log));
        using var otherClient = await otherServer.CreateReadyClientAsync();
        var projects = Enumerable.Range(0, 10).Select(_ => BulkInsertApi.NewProject()).ToList();

        var responses = await Task.WhenAll(projects.SelectMany(p => new[]
        {
            Client.PostBulkInsertAsync(WaitingToRun(p, "Enqueued")),
            otherClient.PostBulkInsertAsync(WaitingToRun(p, "Enqueued")),
        }));

        try
        {
            foreach (var (project, pair) in projects.Zip(responses.Chunk(2)))
            {
                await AssertOneAcceptedOneRefusedAsync(project, pair);
            }
        }
        finally
        {
            await DeleteAcceptedAsync(responses);
        }
    }

    /// <summary>A bulk insert that stays in flight without running: on a queue no server works, or an hour ahead.</summary>
    private static object WaitingToRun(string project, string state) => state switch
    {
        "Enqueued" => new { rows = 10, project, queue = BulkInsertApi.IdleQueue },
        "Scheduled" => new { rows = 10, project, runAt = DateTime.UtcNow.AddHours(1).ToString("O") },
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    private async Task AssertOneAcceptedOneRefusedAsync(string project, HttpResponseMessage[] pair)
    {
        Assert.Equal(
            [HttpStatusCode.Accepted, HttpStatusCode.Conflict],
            pair.Select(r => r.StatusCode).Order());
        var accepted = pair.Single(r => r.StatusCode == HttpStatusCode.Accepted);
        var winner = long.Parse(accepted.Headers.Location!.OriginalString.Split('/')[^1]);
        await BulkInsertApi.AssertRefusedForAsync(pair.Single(r => r.StatusCode == HttpStatusCode.Conflict), project, winner);
        Assert.Equal(1, fixture.CountJobsFor(project));
    }

    private async Task DeleteAcceptedAsync(IEnumerable<HttpResponseMessage> responses)
    {
        foreach (var response in responses)
        {
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                await Client.DeleteJobAsync(long.Parse(response.Headers.Location!.OriginalString.Split('/')[^1]));
            }

            response.Dispose();
        }
    }
}
