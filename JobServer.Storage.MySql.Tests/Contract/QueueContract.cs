using Hangfire;
using Hangfire.InMemory;
using Hangfire.Storage;
using JobServer.Storage.MySql.Tests.Infrastructure;

namespace JobServer.Storage.MySql.Tests.Contract;

/// <summary>Queues: fetch order, exclusivity while held, requeue, acknowledge (direct and transactional), blocking.</summary>
public abstract class QueueContract : StorageContract
{
    private static readonly TimeSpan Absent = TimeSpan.FromMilliseconds(400);
    private static readonly TimeSpan Present = TimeSpan.FromSeconds(5);

    private static string Queue() => "q_" + Guid.NewGuid().ToString("N")[..12];

    private string Enqueue(string queue)
    {
        var id = CreateJob();
        Commit(t => t.AddToQueue(queue, id));
        return id;
    }

    private IFetchedJob Fetch(IStorageConnection connection, params string[] queues) =>
        TryFetch(connection, queues, Present) ?? throw new Xunit.Sdk.XunitException($"No job was fetched from {string.Join(", ", queues)}.");

    [Fact]
    public void FetchNextJob_SeveralQueues_QueueOrderThenFifo()
    {
        var (high, low) = (Queue(), Queue());
        var low1 = Enqueue(low);
        var high1 = Enqueue(high);
        var high2 = Enqueue(high);
        var low2 = Enqueue(low);
        var connection = Connect();

        var fetched = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var job = Fetch(connection, high, low);
            fetched.Add(job.JobId);
            job.RemoveFromQueue();
        }

        Assert.Equal([high1, high2, low1, low2], fetched);
        Assert.Null(TryFetch(connection, [high, low], Absent));
    }

    [Fact]
    public void FetchNextJob_HeldByOneConnection_NotFetchedByAnother()
    {
        var queue = Queue();
        var id = Enqueue(queue);

        var held = Fetch(Connect(), queue);

        Assert.Equal(id, held.JobId);
        Assert.Null(TryFetch(Connect(), [queue], Absent));
    }

    [Fact]
    public void Requeue_FetchedJob_FetchableAtOnce()
    {
        var queue = Queue();
        var id = Enqueue(queue);
        var first = Fetch(Connect(), queue);

        first.Requeue();
        first.Dispose();

        Assert.Equal(id, Fetch(Connect(), queue).JobId);
    }

    [Fact]
    public void RemoveFromQueue_FetchedJob_NeverFetchedAgain()
    {
        var queue = Queue();
        Enqueue(queue);
        var fetched = Fetch(Connect(), queue);

        fetched.RemoveFromQueue();
        fetched.Dispose();

        Assert.Null(TryFetch(Connect(), [queue], Absent));
    }

    [Fact]
    public void RemoveFromQueue_InCommittedTransaction_FetchedJobsOwnRemoveIsNoOp()
    {
        var queue = Queue();
        var id = Enqueue(queue);
        var other = Enqueue(queue);
        var fetched = Fetch(Connect(), queue);

        Commit(t => t.RemoveFromQueue(fetched));
        fetched.RemoveFromQueue();
        fetched.Dispose();

        Assert.Equal(id, fetched.JobId);
        Assert.Equal(other, Fetch(Connect(), queue).JobId);
        Assert.Null(TryFetch(Connect(), [queue], Absent));
    }

    [Fact]
    public void FetchNextJob_CancelledToken_ThrowsOperationCanceled()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => Connect().FetchNextJob([Queue()], cancelled.Token));
    }

    [Fact]
    public void FetchNextJob_NoQueues_ThrowsArgumentException()
    {
        Assert.ThrowsAny<ArgumentException>(() => Connect().FetchNextJob([], CancellationToken.None));
        Assert.ThrowsAny<ArgumentException>(() => Connect().FetchNextJob(null!, CancellationToken.None));
    }

    [Fact]
    public async Task FetchNextJob_Waiting_WakesWhenAnotherConnectionEnqueues()
    {
        var queue = Queue();
        var waiting = Connect();
        Assert.Null(TryFetch(waiting, [queue], TimeSpan.FromMilliseconds(100)));
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var fetch = Task.Run(() => Own(waiting.FetchNextJob([queue], deadline.Token)));

        var id = Enqueue(queue);

        var fetched = await fetch.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(id, fetched.JobId);
    }
}

public sealed class QueueContractOnInMemory : QueueContract
{
    protected override JobStorage CreateStorage() => new InMemoryStorage();
}

public sealed class QueueContractOnMySql(MySqlTestDatabase db) : QueueContract, IClassFixture<MySqlTestDatabase>
{
    protected override JobStorage CreateStorage() => db.CreateStorage();
}
