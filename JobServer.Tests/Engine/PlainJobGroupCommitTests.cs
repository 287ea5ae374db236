using JobServer.Engine.Client;
using JobServer.Engine.States;
using JobServer.Storage;
using JobServer.Tests.Infrastructure;

namespace JobServer.Tests.Engine;

/// <summary>The group commit's promises, with the writer as the seam: creates that arrive while a group is being
/// written share the next one, each caller gets its own job's id, and one job's failure is its own.</summary>
public sealed class PlainJobGroupCommitTests
{
    /// <summary>Callers block while in line: each gets its own thread, so the pool's slow growth cannot pace the test.</summary>
    internal static Task<T> OnOwnThread<T>(Func<T> call) => Task.Factory.StartNew(call, TaskCreationOptions.LongRunning);

    /// <summary>Job 0 starts a write that holds at the gate; jobs 1..<paramref name="behind"/> line up behind it;
    /// then the gate opens.</summary>
    private static async Task<(Task<CreatedJob> First, Task<CreatedJob>[] Waiting)> LineUpBehindAWriteAsync(
        PlainJobGroupCommit group, GatedWriter writer, int behind)
    {
        var first = OnOwnThread(() => group.Create(Job(0)));
        await Eventually.UntilAsync(() => writer.Calls.Count == 1, what: "the first write to start");
        var waiting = Enumerable.Range(1, behind).Select(n => OnOwnThread(() => group.Create(Job(n)))).ToArray();
        await Eventually.UntilAsync(() => group.InLine == behind + 1, what: $"{behind} creates in line behind the first write");
        writer.Gate.Set();
        return (first, waiting);
    }

    private static NewJob Job(int n) => new("sleep", "default", $$"""{"n":{{n}}}""");

    [Fact]
    public async Task CreatesArrivingDuringAWrite_ShareTheNextGroup_EachGetsItsOwnId()
    {
        var writer = new GatedWriter();
        var group = new PlainJobGroupCommit(writer, TimeProvider.System);

        var (first, waiting) = await LineUpBehindAWriteAsync(group, writer, 10);

        Assert.Equal(GatedWriter.IdOf(Job(0)), (await first).Id);
        for (var n = 1; n <= 10; n++)
        {
            Assert.Equal(GatedWriter.IdOf(Job(n)), (await waiting[n - 1]).Id);
        }

        Assert.Equal([1, 10], writer.Calls.Select(c => c.Count));
    }

    [Fact]
    public async Task OneJobFailsInAGroup_ItAloneFails_TheOthersAreWritten()
    {
        var writer = new GatedWriter { Refuses = Job(3) };
        var group = new PlainJobGroupCommit(writer, TimeProvider.System);

        var (first, waiting) = await LineUpBehindAWriteAsync(group, writer, 5);

        await first;
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => waiting[2]);
        Assert.Contains("refused", refused.Message);
        foreach (var n in new[] { 1, 2, 4, 5 })
        {
            Assert.Equal(GatedWriter.IdOf(Job(n)), (await waiting[n - 1]).Id);
        }
    }

    [Fact]
    public async Task DatabaseDown_EveryCallerOfTheGroupGetsStorageUnavailable()
    {
        var writer = new GatedWriter { Down = true };
        var group = new PlainJobGroupCommit(writer, TimeProvider.System);

        var creates = Enumerable.Range(0, 8).Select(n => OnOwnThread(() => group.Create(Job(n)))).ToArray();

        foreach (var create in creates)
        {
            await Assert.ThrowsAsync<StorageUnavailableException>(() => create);
        }
    }

    /// <summary>Holds its first write until <see cref="Gate"/> opens; gives each job an id derived from its args.</summary>
    private sealed class GatedWriter : IJobWriter
    {
        public ManualResetEventSlim Gate { get; } = new(false);

        public List<IReadOnlyList<NewJob>> Calls { get; } = [];

        public NewJob? Refuses { get; init; }

        public bool Down { get; init; }

        public static long IdOf(NewJob job) => 1000 + int.Parse(job.ArgsJson.Trim('{', '}').Split(':')[1]);

        public IReadOnlyList<CreatedJob> CreatePlain(IReadOnlyList<NewJob> jobs, DateTime now)
        {
            lock (Calls)
            {
                Calls.Add(jobs);
            }

            if (Down)
            {
                throw new StorageUnavailableException("down", new TimeoutException());
            }

            if (!Gate.Wait(TimeSpan.FromSeconds(30)))
            {
                throw new TimeoutException("the test never opened the gate");
            }

            if (jobs.Contains(Refuses))
            {
                throw new InvalidOperationException($"refused {Refuses!.ArgsJson}");
            }

            return jobs.Select(j => new CreatedJob(IdOf(j), JobState.Enqueued)).ToList();
        }

        public CreatedJob Create(NewJob job, DateTime now) => throw new NotSupportedException();

        public IReadOnlyList<CreatedJob> CreateMany(IReadOnlyList<NewJob> jobs, DateTime now) => throw new NotSupportedException();

        public StateChange Requeue(long id, string reason, DateTime now, Func<string, string, ConcurrencyRequest?> concurrencyOf) => throw new NotSupportedException();

        public StateChange Delete(long id, string reason, DateTime now, DateTime expireAt) => throw new NotSupportedException();
    }
}
