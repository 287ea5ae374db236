using Dapper;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using JobServer.Concurrency;
using JobServer.Tests.ConcurrencyChild;
using JobServer.Tests.Infrastructure;

namespace JobServer.Tests.Concurrency;

/// <summary>
/// A server killed with SIGKILL while it runs a keyed job: the storage gives the job back, another server re-runs it,
/// and the key stays held from the kill until the re-run ends — then it is free.
/// </summary>
public sealed class ConcurrencyServerDeathTests(MySqlConcurrencyFixture fixture) : IClassFixture<MySqlConcurrencyFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Reject_ServerKilledMidJob_KeyHeldUntilTheReRunOnAnotherServerEnds()
    {
        var queue = "k" + Guid.NewGuid().ToString("N")[..12];
        var key = $"p-{Guid.NewGuid():N}";
        var storage = fixture.CreateStorage();
        var client = new BackgroundJobClient(storage, ConcurrencyLimitScenarios.Filters);
        string Create() => client.Create(Job.FromExpression<KilledServerJobs>(x => x.Hold(key, CancellationToken.None), queue), new EnqueuedState());

        string id;
        using (var child = await ConcurrencyChildServer.StartAsync(fixture.Database.ConnectionString, queue, "doomed"))
        {
            id = Create();
            await Eventually.UntilAsync(() => State(storage, id), s => s?.Name == ProcessingState.StateName && s.Data["ServerId"].StartsWith("doomed", StringComparison.Ordinal),
                Deadline, "the child to run the job");
            child.KillHard();
            Assert.True(child.HasExited);
        }

        // Dead server, job still Processing: the key is held, nobody may start another.
        var refused = ConcurrencyLimitReachedException.FindIn(Assert.Throws<BackgroundJobClientException>(Create));
        Assert.Equal([id], refused!.Holders);

        using var survivor = new BackgroundJobServer(
            new BackgroundJobServerOptions { ServerName = "survivor", Queues = [queue], WorkerCount = 1, FilterProvider = ConcurrencyLimitScenarios.Filters, Activator = new JobActivator() },
            storage);
        await Eventually.UntilAsync(() => State(storage, id)?.Name, s => s == SucceededState.StateName, Deadline, "the re-run to succeed");

        Assert.Equal(2, ProcessingStates(id));
        var next = Create();
        await Eventually.UntilAsync(() => State(storage, next)?.Name, s => s == SucceededState.StateName, Deadline, "the next job for the key");
        using var connection = storage.GetConnection();
        Assert.Empty(connection.GetAllItemsFromSet($"concurrency:killed:{key}"));
    }

    private static Hangfire.Storage.StateData? State(JobStorage storage, string id)
    {
        using var connection = storage.GetConnection();
        return connection.GetStateData(id);
    }

    private long ProcessingStates(string id)
    {
        using var connection = fixture.Database.Open();
        return connection.ExecuteScalar<long>("SELECT COUNT(*) FROM hf_state WHERE job_id = @id AND name = 'Processing'", new { id = long.Parse(id, System.Globalization.CultureInfo.InvariantCulture) });
    }
}
