using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using JobServer.Concurrency;

namespace JobServer.Tests.Concurrency;

/// <summary>Wait: jobs over the limit wait visibly, run in creation order, and never fail for having waited.</summary>
public abstract partial class ConcurrencyLimitScenarios
{
    [Fact]
    public async Task Wait_FiveJobsFromTwoServers_RunOneAtATimeInCreationOrderAndNoneFails()
    {
        var storages = new[] { Fixture.CreateStorage(), Fixture.CreateStorage() };
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
        var storage = Fixture.CreateStorage();
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
        var storage = Fixture.CreateStorage();
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
        var storage = Fixture.CreateStorage();
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
}
