using System.Runtime.ExceptionServices;
using JobServer.Storage;

namespace JobServer.Engine.Client;

/// <summary>
/// Group commit for plain creates (no concurrency key, no parent), the way a database groups its own commits.
/// Callers line up; the one at the front writes everything lined up so far — its own job and those that arrived
/// while the previous group was being written — in one transaction sent as one command, wakes the callers it served,
/// and hands the front to the next caller in line. Twenty HTTP requests in flight share one commit (and its fsync)
/// instead of queueing for twenty; a lone caller writes its job itself, at once: no timer, no thread hop.
/// Durability is unchanged: <see cref="Create"/> returns only after its job's transaction has committed.
/// </summary>
internal sealed class PlainJobGroupCommit(IJobWriter writer, TimeProvider time)
{
    /// <summary>Jobs per command: bounds the statement text (~1 KB per job) and how long one group keeps the line.</summary>
    internal const int MaxGroup = 100;

    private readonly Lock _lineLock = new();

    /// <summary>The front is the caller writing (or about to write) a group; the group's members stay at the front
    /// until it is written. Guarded by <see cref="_lineLock"/>.</summary>
    private readonly Queue<PendingCreate> _line = new();

    /// <summary>Callers in line, the group being written included (for tests that need a group to form).</summary>
    internal int InLine
    {
        get
        {
            lock (_lineLock)
            {
                return _line.Count;
            }
        }
    }

    public CreatedJob Create(NewJob job)
    {
        var mine = new PendingCreate(job);
        bool atFront;
        lock (_lineLock)
        {
            _line.Enqueue(mine);
            atFront = _line.Count == 1;
        }

        if (!atFront)
        {
            // Woken either with our job written by the caller in front, or to take the front ourselves.
            mine.Wake.Wait();
            if (mine.IsDone)
            {
                return mine.Result();
            }
        }

        List<PendingCreate> group;
        lock (_lineLock)
        {
            group = _line.Take(MaxGroup).ToList();
        }

        Write(group);
        PendingCreate? next;
        lock (_lineLock)
        {
            group.ForEach(_ => _line.Dequeue());
            next = _line.Count > 0 ? _line.Peek() : null;
        }

        group.ForEach(p => p.Wake.Set());
        next?.Wake.Set();
        return mine.Result();
    }

    private void Write(List<PendingCreate> group)
    {
        try
        {
            var created = writer.CreatePlain(group.ConvertAll(p => p.Job), time.GetUtcNow().UtcDateTime);
            for (var i = 0; i < group.Count; i++)
            {
                group[i].Succeed(created[i]);
            }
        }
        catch (Exception ex) when (group.Count > 1 && ex is not StorageUnavailableException)
        {
            // Nothing was written; do not let one job's unexpected failure fail the others with it.
            group.ForEach(WriteAlone);
        }
        catch (Exception ex)
        {
            group.ForEach(p => p.Fail(ex));
        }
    }

    private void WriteAlone(PendingCreate pending)
    {
        try
        {
            pending.Succeed(writer.CreatePlain([pending.Job], time.GetUtcNow().UtcDateTime)[0]);
        }
        catch (Exception ex)
        {
            pending.Fail(ex);
        }
    }

    /// <summary>One caller's job. Only the writer of its group completes it, before setting <see cref="Wake"/>.</summary>
    private sealed class PendingCreate(NewJob job)
    {
        // No spinning: the wait is a database round trip, and a spinning waiter takes the CPU the database needs.
        public ManualResetEventSlim Wake { get; } = new(false, spinCount: 0);

        private CreatedJob? _created;
        private ExceptionDispatchInfo? _failure;

        public NewJob Job => job;

        public bool IsDone => _created is not null || _failure is not null;

        public void Succeed(CreatedJob created) => _created = created;

        public void Fail(Exception ex) => _failure = ExceptionDispatchInfo.Capture(ex);

        public CreatedJob Result()
        {
            _failure?.Throw();
            return _created!;
        }
    }
}
