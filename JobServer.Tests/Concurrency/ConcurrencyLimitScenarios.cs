using System.Linq.Expressions;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using JobServer.Concurrency;
using JobServer.Tests.Infrastructure;

namespace JobServer.Tests.Concurrency;

/// <summary>
/// The concurrency filter's guarantees on real Hangfire clients and servers, run on our MySQL storage and on
/// Hangfire.InMemory. Filters come only from attributes on the job methods (no GlobalJobFilters), and every test uses
/// keys of its own, so tests never see each other's jobs.
/// </summary>
public abstract partial class ConcurrencyLimitScenarios(ConcurrencyStorageFixture fixture) : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly List<BackgroundJobServer> _servers = [];

    // Each test's jobs go to a queue of its own (through Job.Queue, so retries and promotions stay there too), and
    // only this test's servers listen to it: a job another test left behind is never fetched here.
    protected string TestQueue { get; } = "c" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Attribute filters only: what the job methods declare, isolated from the process-wide global filters.</summary>
    internal static IJobFilterProvider Filters { get; } = new JobFilterProviderCollection(new JobFilterAttributeFilterProvider());

    protected ConcurrencyStorageFixture Fixture => fixture;

    public void Dispose()
    {
        foreach (var server in _servers) server.SendStop();
        foreach (var server in _servers) server.Dispose();
    }

    protected string Enqueue(BackgroundJobClient client, Expression<Action<ConcurrencyTestJobs>> call) =>
        client.Create(Job.FromExpression(call, TestQueue), new EnqueuedState());

    protected string Schedule(BackgroundJobClient client, Expression<Action<ConcurrencyTestJobs>> call, TimeSpan delay) =>
        client.Create(Job.FromExpression(call, TestQueue), new ScheduledState(delay));

    protected static string NewKey(string name) => $"{name}-{Guid.NewGuid():N}";

    protected BackgroundJobServer StartServer(JobStorage storage, string name, int workers = 2)
    {
        var server = new BackgroundJobServer(
            new BackgroundJobServerOptions
            {
                ServerName = $"{name}-{Guid.NewGuid():N}"[..20],
                WorkerCount = workers,
                Queues = [TestQueue],
                FilterProvider = Filters,
                // Hangfire's JobActivator.Current is process-wide and each test host replaces it with its own (disposed
                // when that host stops); these test jobs need no container.
                Activator = new JobActivator(),
                SchedulePollingInterval = TimeSpan.FromMilliseconds(100),
                CancellationCheckInterval = TimeSpan.FromMilliseconds(100),
                ShutdownTimeout = TimeSpan.FromSeconds(5),
            },
            storage);
        lock (_servers) _servers.Add(server);
        return server;
    }

    protected static BackgroundJobClient Client(JobStorage storage) => new(storage, Filters);

    protected static ConcurrencyLimitReachedException Refused(Action create)
    {
        var ex = Assert.Throws<BackgroundJobClientException>(create);
        return ConcurrencyLimitReachedException.FindIn(ex) ?? throw new Xunit.Sdk.XunitException($"Refused for another reason: {ex}");
    }

    protected static List<string> Holders(JobStorage storage, string key)
    {
        using var connection = storage.GetConnection();
        return connection.GetAllItemsFromSet($"concurrency:{key}").Order(StringComparer.Ordinal).ToList();
    }

    protected static string? StateOf(JobStorage storage, string id)
    {
        using var connection = storage.GetConnection();
        return connection.GetStateData(id)?.Name;
    }

    protected static Task Until(Func<bool> condition, string what) => Eventually.UntilAsync(condition, Deadline, what);

    protected static Task UntilState(JobStorage storage, string id, string state) =>
        Eventually.UntilAsync(() => StateOf(storage, id), s => s == state, Deadline, $"job {id} to be {state}");
}

public sealed class MySqlConcurrencyLimitTests(MySqlConcurrencyFixture fixture) : ConcurrencyLimitScenarios(fixture), IClassFixture<MySqlConcurrencyFixture>;

public sealed class InMemoryConcurrencyLimitTests(InMemoryConcurrencyFixture fixture) : ConcurrencyLimitScenarios(fixture), IClassFixture<InMemoryConcurrencyFixture>
{
    /// <summary>What Hangfire's dashboard reads for its Awaiting page and counter (here through InMemory's monitoring
    /// API; MySqlStorage's monitoring API is built on another branch).</summary>
    [Fact]
    public void Wait_WaitingJob_IsOnTheMonitoringApisAwaitingList()
    {
        var storage = Fixture.CreateStorage();
        var client = Client(storage);
        var key = NewKey("listed");
        var holder = Enqueue(client, x => x.Wait(key, true, null!, CancellationToken.None));
        var waiting = Enqueue(client, x => x.Wait(key, true, null!, CancellationToken.None));

        var monitoring = Assert.IsAssignableFrom<Hangfire.Storage.JobStorageMonitor>(storage.GetMonitoringApi());
        var listed = monitoring.AwaitingJobs(0, 1000).Single(j => j.Key == waiting).Value;

        Assert.True(listed.InAwaitingState);
        Assert.Equal($"wait:{key}", listed.StateData["ConcurrencyKey"]);
        Assert.True(monitoring.AwaitingCount() >= 1);
        Assert.Equal(AwaitingState.StateName, monitoring.JobDetails(waiting).History[0].StateName);
        Assert.True(client.Delete(waiting));
        Assert.True(client.Delete(holder));
    }
}
