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
public abstract class ConcurrencyLimitScenarios(ConcurrencyStorageFixture fixture) : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly List<BackgroundJobServer> _servers = [];

    // Each test's jobs go to a queue of its own (through Job.Queue, so retries and promotions stay there too), and
    // only this test's servers listen to it: a job another test left behind is never fetched here.
    private readonly string _queue = "c" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Attribute filters only: what the job methods declare, isolated from the process-wide global filters.</summary>
    internal static IJobFilterProvider Filters { get; } = new JobFilterProviderCollection(new JobFilterAttributeFilterProvider());

    protected ConcurrencyStorageFixture Fixture => fixture;

    public void Dispose()
    {
        foreach (var server in _servers) server.SendStop();
        foreach (var server in _servers) server.Dispose();
    }

    [Fact]
    public async Task Reject_TwoClientsOnTwoStoragesRace_ExactlyOneWinsEachRoundAndTheLoserWritesNothing()
    {
        var storages = new[] { fixture.CreateStorage(), fixture.CreateStorage() };
        var clients = storages.Select(Client).ToArray();
        for (var round = 0; round < 15; round++)
        {
            var key = NewKey($"race{round}");
            var rowsBefore = fixture.CountJobRows();
            using var start = new Barrier(clients.Length);
            var outcomes = await Task.WhenAll(clients.Select(client => Task.Run(() =>
            {
                start.SignalAndWait();
                try
                {
                    return (Id: Enqueue(client, x => x.Reject(key, true, null!, CancellationToken.None)), Refused: (ConcurrencyLimitReachedException?)null);
                }
                catch (BackgroundJobClientException ex)
                {
                    return (Id: (string?)null, Refused: ConcurrencyLimitReachedException.FindIn(ex) ?? throw ex);
                }
            })));

            var winner = Assert.Single(outcomes, o => o.Id is not null).Id!;
            var refused = Assert.Single(outcomes, o => o.Refused is not null).Refused!;
            Assert.Equal($"reject:{key}", refused.Key);
            Assert.Equal([winner], refused.Holders);
            Assert.Equal(rowsBefore + 1, fixture.CountJobRows());
            Assert.Equal([winner], Holders(storages[0], $"reject:{key}"));
            Assert.True(clients[round % 2].Delete(winner));
            Assert.Empty(Holders(storages[0], $"reject:{key}"));
        }
    }

    [Fact]
    public async Task Reject_HolderSucceeds_KeyIsFreeAgain()
    {
        var storage = fixture.CreateStorage();
        StartServer(storage, "ok");
        var client = Client(storage);
        var key = NewKey("ok");
        var probe = ConcurrencyProbe.For(key);

        var holder = Enqueue(client, x => x.Reject(key, true, null!, CancellationToken.None));
        await Until(() => probe.Started.Contains(holder), "the holder to start");
        var refused = Refused(() => Enqueue(client, x => x.Reject(key, true, null!, CancellationToken.None)));
        Assert.Equal([holder], refused.Holders);

        probe.Open();
        await UntilState(storage, holder, SucceededState.StateName);
        Assert.Empty(Holders(storage, $"reject:{key}"));
        var next = Enqueue(client, x => x.Reject(key, false, null!, CancellationToken.None));
        await UntilState(storage, next, SucceededState.StateName);
        Assert.Empty(Holders(storage, $"reject:{key}"));
    }

    [Fact]
    public async Task Reject_HeldThroughEveryRetry_ReleasedByTheFinalFailure()
    {
        var storage = fixture.CreateStorage();
        StartServer(storage, "fail");
        var client = Client(storage);
        var key = NewKey("fail");
        var probe = ConcurrencyProbe.For(key);

        var failing = Enqueue(client, x => x.Fail(key, null!, CancellationToken.None));
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            await Until(() => probe.Started.Count == attempt, $"attempt {attempt}");
            var refused = Refused(() => Enqueue(client, x => x.Reject(key, false, null!, CancellationToken.None)));
            Assert.Equal([failing], refused.Holders);
            probe.Open();
        }

        await UntilState(storage, failing, FailedState.StateName);
        Assert.Equal(3, probe.Started.Count);
        var next = Enqueue(client, x => x.Reject(key, false, null!, CancellationToken.None));
        await UntilState(storage, next, SucceededState.StateName);
    }

    [Fact]
    public async Task Reject_RunningHolderDeleted_KeyIsFreeAtOnce()
    {
        var storage = fixture.CreateStorage();
        StartServer(storage, "del");
        var client = Client(storage);
        var key = NewKey("delrun");
        var probe = ConcurrencyProbe.For(key);

        var holder = Enqueue(client, x => x.Reject(key, true, null!, CancellationToken.None));
        await Until(() => probe.Started.Contains(holder), "the holder to start");
        Assert.True(client.Delete(holder));

        Assert.Empty(Holders(storage, $"reject:{key}"));
        var next = Enqueue(client, x => x.Reject(key, false, null!, CancellationToken.None));
        await UntilState(storage, next, SucceededState.StateName);
        Assert.Equal(DeletedState.StateName, StateOf(storage, holder));
    }

    [Fact]
    public async Task Wait_FiveJobsFromTwoServers_RunOneAtATimeInCreationOrderAndNoneFails()
    {
        var storages = new[] { fixture.CreateStorage(), fixture.CreateStorage() };
        var clients = storages.Select(Client).ToArray();
        var key = NewKey("serial");
        var probe = ConcurrencyProbe.For(key);
        var ids = Enumerable.Range(0, 5)
            .Select(i => Enqueue(clients[i % 2], x => x.Wait(key, true, null!, CancellationToken.None)))
            .ToList();

        // Visible as waiting before any server runs: Hangfire's Awaiting state, naming the key.
        Assert.Equal(EnqueuedState.StateName, StateOf(storages[0], ids[0]));
        foreach (var waiting in ids.Skip(1))
        {
            using var connection = storages[0].GetConnection();
            var state = connection.GetStateData(waiting);
            Assert.Equal(AwaitingState.StateName, state.Name);
            Assert.Equal($"wait:{key}", state.Data["ConcurrencyKey"]);
            Assert.StartsWith($"Waiting for concurrency key 'wait:{key}', held by job(s) ", state.Reason);
        }

        StartServer(storages[0], "serial-a", workers: 3);
        StartServer(storages[1], "serial-b", workers: 3);
        for (var i = 0; i < ids.Count; i++)
        {
            await Until(() => probe.Started.Count == i + 1, $"job {i} to start");
            Assert.Equal(1, probe.InFlight);
            foreach (var later in ids.Skip(i + 1)) Assert.Equal(AwaitingState.StateName, StateOf(storages[0], later));
            probe.Open();
        }

        foreach (var id in ids) await UntilState(storages[0], id, SucceededState.StateName);
        Assert.Equal(ids, probe.Started);
        Assert.Equal(1, probe.MaxInFlight);
        using (var connection = storages[0].GetConnection())
        {
            Assert.Empty(connection.GetAllItemsFromSet($"concurrency:wait:{key}"));
            Assert.Empty(connection.GetAllItemsFromSet($"concurrency:wait:{key}:waiting"));
            Assert.Null(connection.GetAllEntriesFromHash($"concurrency:wait:{key}:line"));
        }
    }

    [Fact]
    public async Task Wait_WaitingJobDeleted_LeavesTheLineAndTheNextRuns()
    {
        var storage = fixture.CreateStorage();
        StartServer(storage, "line");
        var client = Client(storage);
        var key = NewKey("line");
        var probe = ConcurrencyProbe.For(key);

        var holder = Enqueue(client, x => x.Wait(key, true, null!, CancellationToken.None));
        var dropped = Enqueue(client, x => x.Wait(key, true, null!, CancellationToken.None));
        var last = Enqueue(client, x => x.Wait(key, true, null!, CancellationToken.None));
        Assert.Equal(AwaitingState.StateName, StateOf(storage, dropped));
        Assert.True(client.Delete(dropped));

        await Until(() => probe.Started.Contains(holder), "the holder to start");
        probe.Open();
        await Until(() => probe.Started.Contains(last), "the last job to start");
        probe.Open();
        await UntilState(storage, last, SucceededState.StateName);

        Assert.Equal([holder, last], probe.Started);
        Assert.Equal(DeletedState.StateName, StateOf(storage, dropped));
        Assert.Empty(Holders(storage, $"wait:{key}"));
    }

    [Fact]
    public async Task Wait_LimitTwo_TwoRunAtOnceAndTheRestWait()
    {
        var storage = fixture.CreateStorage();
        StartServer(storage, "pair", workers: 4);
        var client = Client(storage);
        var project = NewKey("pair");
        var probe = ConcurrencyProbe.For(project);

        var ids = Enumerable.Range(0, 4)
            .Select(_ => Enqueue(client, x => x.Pair(new PairArgs { Project = project }, null!, CancellationToken.None)))
            .ToList();
        await Until(() => probe.Started.Count == 2, "two jobs to start");
        // The first two hold the slots; which of the two workers starts first is up to the fetch.
        Assert.Equal(ids[..2].Order(), probe.Started.Order());
        Assert.Equal(2, probe.InFlight);
        Assert.All(ids[2..], id => Assert.Equal(AwaitingState.StateName, StateOf(storage, id)));

        probe.Open(4);
        foreach (var id in ids) await UntilState(storage, id, SucceededState.StateName);
        Assert.Equal(2, probe.MaxInFlight);
        Assert.Equal(4, probe.Started.Count);
    }

    [Fact]
    public void Wait_DelayedJobOverTheLimit_WaitsThenKeepsItsSchedule()
    {
        var storage = fixture.CreateStorage();
        var client = Client(storage);
        var key = NewKey("later");

        var holder = Enqueue(client, x => x.Wait(key, true, null!, CancellationToken.None));
        var delayed = Schedule(client, x => x.Wait(key, true, null!, CancellationToken.None), TimeSpan.FromHours(1));
        Assert.Equal(AwaitingState.StateName, StateOf(storage, delayed));

        Assert.True(client.Delete(holder));
        Assert.Equal(ScheduledState.StateName, StateOf(storage, delayed));
        Assert.Equal([delayed], Holders(storage, $"wait:{key}"));
        Assert.True(client.Delete(delayed));
        Assert.Empty(Holders(storage, $"wait:{key}"));
    }

    [Fact]
    public void Reject_FinishedJobRequeuedWhileKeyIsHeld_WaitsInsteadOfBeingRefusedInsideHangfire()
    {
        var storage = fixture.CreateStorage();
        var client = Client(storage);
        var key = NewKey("requeue");
        var first = Enqueue(client, x => x.Reject(key, true, null!, CancellationToken.None));
        Assert.True(client.Delete(first));
        var holder = Enqueue(client, x => x.Reject(key, true, null!, CancellationToken.None));

        // False: Hangfire reports that the job did not become Enqueued — it waits for the key.
        Assert.False(client.Requeue(first));

        Assert.Equal(AwaitingState.StateName, StateOf(storage, first));
        Assert.Equal([holder], Holders(storage, $"reject:{key}"));
        Assert.True(client.Delete(holder));
        Assert.Equal(EnqueuedState.StateName, StateOf(storage, first));
        Assert.Equal([first], Holders(storage, $"reject:{key}"));
        Assert.True(client.Delete(first));
    }

    [Fact]
    public void Reject_HolderEndedWithoutTheFilter_SlotIsReclaimedAtTheNextCreation()
    {
        var storage = fixture.CreateStorage();
        var client = Client(storage);
        var key = NewKey("heal");
        var lost = Enqueue(client, x => x.Reject(key, true, null!, CancellationToken.None));
        // A client without the filter (another application, an old server) deletes it: the release never happens.
        Assert.True(new BackgroundJobClient(storage, new JobFilterCollection()).Delete(lost));
        Assert.Equal([lost], Holders(storage, $"reject:{key}"));

        var next = Enqueue(client, x => x.Reject(key, true, null!, CancellationToken.None));

        Assert.Equal([next], Holders(storage, $"reject:{key}"));
        Assert.True(client.Delete(next));
    }

    protected string Enqueue(BackgroundJobClient client, Expression<Action<ConcurrencyTestJobs>> call) =>
        client.Create(Job.FromExpression(call, _queue), new EnqueuedState());

    protected string Schedule(BackgroundJobClient client, Expression<Action<ConcurrencyTestJobs>> call, TimeSpan delay) =>
        client.Create(Job.FromExpression(call, _queue), new ScheduledState(delay));

    protected static string NewKey(string name) => $"{name}-{Guid.NewGuid():N}";

    protected BackgroundJobServer StartServer(JobStorage storage, string name, int workers = 2)
    {
        var server = new BackgroundJobServer(
            new BackgroundJobServerOptions
            {
                ServerName = $"{name}-{Guid.NewGuid():N}"[..20],
                WorkerCount = workers,
                Queues = [_queue],
                FilterProvider = Filters,
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

public sealed class InMemoryConcurrencyLimitTests(InMemoryConcurrencyFixture fixture) : ConcurrencyLimitScenarios(fixture), IClassFixture<InMemoryConcurrencyFixture>;
