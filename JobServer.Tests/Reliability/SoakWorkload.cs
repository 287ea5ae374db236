using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using JobServer.Jobs;
using JobServer.Tests.SoakChild;
using MySqlConnector;

namespace JobServer.Tests.Reliability;

/// <summary>One job the soak created (its id came back from Hangfire's client) and what its script implies.</summary>
/// <param name="NotBefore">The earliest a run may start: creation plus the delay of a scheduled job.</param>
internal sealed record SoakJob(string Id, string Kind, string ExpectedState, DateTime NotBefore, int FailAttempts = 0, string? ParentId = null, string? Project = null, int Rows = 0);

/// <summary>
/// The soak's mixed workload, created through Hangfire's client as an application would while the faults happen:
/// short jobs, jobs that fail on their first attempts (retried) or on all of them (Failed), scheduled jobs,
/// continuations, jobs longer than the invisibility timeout, jobs deleted while they run, and a bulk insert now and
/// then. A creation that fails (the database restarting) is counted, not retried: only accepted jobs are judged.
/// </summary>
internal sealed class SoakWorkload(JobStorage storage, TimeSpan longJob)
{
    public const int BulkRows = 20_000;
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan BulkEvery = TimeSpan.FromSeconds(15);

    private readonly BackgroundJobClient _client = new(storage);
    private readonly ConcurrentDictionary<string, SoakJob> _jobs = new();
    private readonly ConcurrentDictionary<string, bool> _holds = new();
    private readonly Random _random = new();
    private int _refused;
    private int _deadlocks;
    private int _deletedWhileRunning;
    private int _bulkInserts;

    public IReadOnlyDictionary<string, SoakJob> Jobs => _jobs;

    /// <summary>Creations the client could not complete (the database was down): not accepted, not judged.</summary>
    public int Refused => _refused;

    /// <summary>Deadlock errors that reached the client: must stay 0.</summary>
    public int Deadlocks => _deadlocks;

    public int DeletedWhileRunning => _deletedWhileRunning;

    public string? LastRefusal { get; private set; }

    /// <summary>Creates jobs for at least <paramref name="duration"/>, and on while <paramref name="faultsRunning"/>.</summary>
    public async Task RunAsync(TimeSpan duration, Func<bool> faultsRunning)
    {
        var clock = Stopwatch.StartNew();
        var nextBulk = TimeSpan.FromSeconds(3);
        while (clock.Elapsed < duration || faultsRunning())
        {
            for (var i = 0; i < 4; i++) CreateOne();
            if (clock.Elapsed >= nextBulk)
            {
                nextBulk += BulkEvery;
                CreateBulkInsert();
            }

            DeleteRunningHolds(onlyRunning: true);
            await Task.Delay(Tick);
        }
    }

    /// <summary>After the run: the hold jobs not yet deleted (still queued, or their run just re-started) are deleted now.</summary>
    public void DeleteRemainingHolds() => DeleteRunningHolds(onlyRunning: false);

    private void CreateOne()
    {
        var roll = _random.Next(100);
        var now = DateTime.UtcNow;
        switch (roll)
        {
            case < 50:
                Work("work", _random.Next(20, 400), 0, now);
                break;
            case < 62:
                Work("retried", _random.Next(20, 100), _random.Next(1, 3), now);
                break;
            case < 66:
                // More failures than AutomaticRetry's 2 retries: Failed for good after three runs.
                Work("failed", 20, 3, now);
                break;
            case < 76:
                var delay = TimeSpan.FromMilliseconds(_random.Next(1_000, 5_000));
                Try(() => _client.Create(WorkJob(new SoakStep { Ms = 50, Kind = "scheduled" }), new ScheduledState(delay)),
                    // Hangfire's scheduler keys delayed jobs by whole Unix seconds: a job may start up to a second early.
                    id => new SoakJob(id, "scheduled", SucceededState.StateName, now + delay - TimeSpan.FromSeconds(1)));
                break;
            case < 88:
                var parent = Work("parent", _random.Next(20, 300), 0, now);
                if (parent is not null)
                {
                    Try(() => _client.Create(WorkJob(new SoakStep { Ms = 20, Kind = "child" }), new AwaitingState(parent)),
                        id => new SoakJob(id, "child", SucceededState.StateName, now, ParentId: parent));
                }

                break;
            case < 94:
                Work("long", (int)longJob.TotalMilliseconds, 0, now);
                break;
            default:
                // Runs until it is deleted (the token fires); deleted as soon as it is seen Processing.
                var hold = Try(() => _client.Create(WorkJob(new SoakStep { Ms = 600_000, Kind = "hold" }), new EnqueuedState()),
                    id => new SoakJob(id, "hold", DeletedState.StateName, now));
                if (hold is not null) _holds[hold] = true;
                break;
        }
    }

    private string? Work(string kind, int ms, int failAttempts, DateTime now) =>
        Try(() => _client.Create(WorkJob(new SoakStep { Ms = ms, FailAttempts = failAttempts, Kind = kind }), new EnqueuedState()),
            id => new SoakJob(id, kind, failAttempts > 2 ? FailedState.StateName : SucceededState.StateName, now, failAttempts));

    private void CreateBulkInsert()
    {
        var project = $"soak-{Interlocked.Increment(ref _bulkInserts)}";
        var arguments = JsonDocument.Parse($$"""{"rows":{{BulkRows}},"project":"{{project}}","chunkSize":5000}""").RootElement;
        if (!JobTypes.TryCreateJob("bulk-insert", arguments, out var job, out var errors))
        {
            throw new InvalidOperationException("bulk-insert arguments refused: " + string.Join("; ", errors));
        }

        var now = DateTime.UtcNow;
        Try(() => _client.Create(job, new EnqueuedState()), id => new SoakJob(id, "bulk", SucceededState.StateName, now, Project: project, Rows: BulkRows));
    }

    private void DeleteRunningHolds(bool onlyRunning)
    {
        foreach (var id in _holds.Keys)
        {
            try
            {
                string? state;
                using (var connection = storage.GetConnection()) state = connection.GetStateData(id)?.Name;
                if (onlyRunning && state != ProcessingState.StateName) continue;
                if (_client.Delete(id) && state == ProcessingState.StateName) Interlocked.Increment(ref _deletedWhileRunning);
                _holds.TryRemove(id, out _);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                Refuse(ex);
            }
        }
    }

    private string? Try(Func<string> create, Func<string, SoakJob> describe)
    {
        try
        {
            var id = create();
            _jobs[id] = describe(id);
            return id;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Refuse(ex);
            return null;
        }
    }

    private void Refuse(Exception ex)
    {
        if (IsDeadlock(ex)) Interlocked.Increment(ref _deadlocks);
        Interlocked.Increment(ref _refused);
        LastRefusal = ex.GetBaseException().Message;
    }

    internal static bool IsDeadlock(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is MySqlException { ErrorCode: MySqlErrorCode.LockDeadlock }) return true;
        }

        return false;
    }

    private static Job WorkJob(SoakStep step) => Job.FromExpression<SoakJobs>(x => x.Work(step, null!, CancellationToken.None));
}
