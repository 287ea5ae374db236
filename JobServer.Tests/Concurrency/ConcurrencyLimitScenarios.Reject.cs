using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using JobServer.Concurrency;

namespace JobServer.Tests.Concurrency;

/// <summary>Reject: one winner per race, nothing written for the loser, the key freed however the holder ends.</summary>
public abstract partial class ConcurrencyLimitScenarios
{
    [Fact]
    public async Task Reject_TwoClientsOnTwoStoragesRace_ExactlyOneWinsEachRoundAndTheLoserWritesNothing()
    {
        var storages = new[] { Fixture.CreateStorage(), Fixture.CreateStorage() };
        var clients = storages.Select(Client).ToArray();
        for (var round = 0; round < 15; round++)
        {
            var key = NewKey($"race{round}");
            var rowsBefore = Fixture.CountJobRows();
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
            Assert.Equal(rowsBefore + 1, Fixture.CountJobRows());
            Assert.Equal([winner], Holders(storages[0], $"reject:{key}"));
            Assert.True(clients[round % 2].Delete(winner));
            Assert.Empty(Holders(storages[0], $"reject:{key}"));
        }
    }

    [Fact]
    public async Task Reject_HolderSucceeds_KeyIsFreeAgain()
    {
        var storage = Fixture.CreateStorage();
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
        var storage = Fixture.CreateStorage();
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
        var storage = Fixture.CreateStorage();
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
    public void Reject_FinishedJobRequeuedWhileKeyIsHeld_WaitsInsteadOfBeingRefusedInsideHangfire()
    {
        var storage = Fixture.CreateStorage();
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
        var storage = Fixture.CreateStorage();
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

    [Fact]
    public void Reject_RecurringOccurrenceWhileKeyIsHeld_IsSkippedAndWritesNothing()
    {
        var storage = Fixture.CreateStorage();
        var client = Client(storage);
        var key = NewKey("recurring");
        var recurring = new RecurringJobManager(storage, new Hangfire.Client.BackgroundJobFactory(Filters));
        var recurringId = "concurrency-" + key;
        recurring.AddOrUpdate(recurringId, Job.FromExpression<ConcurrencyTestJobs>(x => x.Reject(key, true, null!, CancellationToken.None), TestQueue), Cron.Never());
        var holder = Enqueue(client, x => x.Reject(key, true, null!, CancellationToken.None));
        var rowsBefore = Fixture.CountJobRows();

        Assert.Null(recurring.TriggerJob(recurringId));

        Assert.Equal(rowsBefore, Fixture.CountJobRows());
        Assert.True(client.Delete(holder));
        var occurrence = recurring.TriggerJob(recurringId);
        Assert.NotNull(occurrence);
        Assert.Equal(EnqueuedState.StateName, StateOf(storage, occurrence));
        Assert.Equal([occurrence], Holders(storage, $"reject:{key}"));
        Assert.True(client.Delete(occurrence));
        recurring.RemoveIfExists(recurringId);
    }
}
