using System.Diagnostics;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using JobServer.Jobs;
using JobServer.Storage.MySql;
using JobServer.Tests.Infrastructure;
using Xunit.Abstractions;

namespace JobServer.Tests.Reliability;

/// <summary>
/// kill -9 of one of several JobServer processes while they work through 2,000 jobs: the survivors finish everything,
/// only the jobs the dead process was running run again, never while it could still have been running them, and the
/// dead server is removed from the servers list.
/// </summary>
[Collection(SerialCollection.Name)]
[Trait("Category", ReliabilityScale.Category)]
public sealed class ProcessDeathTests(TestDatabase database, ITestOutputHelper output) : IClassFixture<TestDatabase>
{
    private const int WorkersPerServer = 10;
    private static readonly ReliabilityScale Scale = ReliabilityScale.Current;

    [Fact]
    public async Task KillNineDuringSleepJobs_SurvivorsFinish_OnlyHeldJobsRunAgain_NeverTwoRunsAtOnce()
    {
        var settings = RecoverySettings.Fast(WorkersPerServer);
        var names = Enumerable.Range(1, Scale.KillServers - 1).Select(i => $"survivor{i}").Prepend("doomed").ToList();
        var servers = names.Select(name => ChildServer.Start(database.ConnectionString, name, settings)).ToList();
        try
        {
            await Task.WhenAll(servers.Select(s => s.WaitUntilReadyAsync()));
            var doomed = servers[0];
            var storage = new MySqlStorage(database.ConnectionString, new MySqlStorageOptions { PrepareSchemaIfNecessary = false });

            var clock = Stopwatch.StartNew();
            var creating = Task.Run(() => CreateSleepJobs(storage, Scale.KillJobs, Scale.KillSleepMs));
            // Mid-run: a quarter done, and the doomed process busy with several jobs.
            await Eventually.UntilAsync(() => JobOutcomes.Succeeded(storage) >= Scale.KillJobs / 4 && JobOutcomes.ProcessingOn(storage, doomed.Owns).Count >= 3,
                TimeSpan.FromSeconds(90), "a quarter of the jobs done and the doomed server running some");
            doomed.KillHard();
            var killedAt = DateTime.UtcNow;
            // Nobody can have recovered anything yet (that takes the 5 s invisibility timeout): these jobs the dead
            // process was running. A claim whose COMMIT was in flight at the kill may still land after this read, so
            // the complete set is taken from the history below; this snapshot must be part of it.
            var heldAtKill = JobOutcomes.ProcessingOn(storage, doomed.Owns);
            var doneAtKill = JobOutcomes.Succeeded(storage);
            var ids = await creating;
            var createdIn = clock.Elapsed;
            Assert.True(doomed.HasExited);
            // Not asserted non-empty: with 20 ms jobs every job seen Processing can have its Succeeded commit in flight
            // at the kill (one commit group carries several), and those land after it. That the kill cut jobs is
            // proven from the run history below (held: runs on the dead process that never ended).
            Assert.True(doneAtKill < Scale.KillJobs, "every job was done before the kill: the test proves nothing");

            await Eventually.UntilAsync(() => JobOutcomes.Unfinished(storage), n => n == 0, TimeSpan.FromSeconds(120), "every job to finish");
            var finishedIn = clock.Elapsed;
            var outcomes = JobOutcomes.Read(storage, ids);
            // Held = cut by the kill: a run on the dead process with no outcome. No more than its workers. A job seen
            // Processing there right after the kill was either cut or had its outcome on the way: a commit sent before
            // the kill still lands after it (commit groups carry several jobs' outcomes at once), so it ran there.
            var held = outcomes.Values.Where(o => o.Runs.Any(r => doomed.Owns(r.ServerId) && r.End is null)).Select(o => o.JobId).ToHashSet();
            Assert.All(heldAtKill, id => Assert.Contains(outcomes[id].Runs, r => doomed.Owns(r.ServerId)));
            Assert.InRange(held.Count, 1, WorkersPerServer);
            var verdict = RunVerdict.Judge(ids, outcomes, held, doomed.Owns, killedAt);
            var reruns = outcomes.Values.Where(o => o.Runs.Count > 1).Select(o => o.Runs[^1]).ToList();
            var runsPerProcess = outcomes.Values.SelectMany(o => o.Runs).GroupBy(r => ProcessOf(r.ServerId, servers)).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count():N0}");

            output.WriteLine($"[{Scale.Name}] kill -9 of 1 of {Scale.KillServers} JobServer processes ({WorkersPerServer} workers each) during {Scale.KillJobs:N0} sleep {Scale.KillSleepMs} ms jobs " +
                             $"created through Hangfire's client (all created {createdIn.TotalSeconds:N1} s after the first): {doneAtKill:N0} done at the kill, {held.Count} running on the killed process");
            output.WriteLine($"  re-runs started {Seconds(reruns.Select(r => r.Start).DefaultIfEmpty(killedAt).Min() - killedAt)}–{Seconds(reruns.Select(r => r.Start).DefaultIfEmpty(killedAt).Max() - killedAt)} after the kill; " +
                             $"all finished {finishedIn.TotalSeconds:N1} s after the first job was created; runs per process: {string.Join(", ", runsPerProcess)}; {verdict}");
            if (verdict.Problems.Count > 0)
            {
                output.WriteLine("  survivors' last output:\n" + string.Join('\n', servers.Skip(1).Select(s => s.RecentOutput)));
            }

            verdict.AssertClean();
            Assert.Equal(held.Count, verdict.RunTwice);
            Assert.All(servers, s => Assert.Contains(outcomes.Values, o => o.Runs.Any(r => s.Owns(r.ServerId))));
            // Hangfire's watchdog on a survivor removes the dead server (4 s without a heartbeat).
            await Eventually.UntilAsync(() => storage.GetMonitoringApi().Servers().Count(s => doomed.Owns(s.Name)), n => n == 0, TimeSpan.FromSeconds(30), "the dead server's row to be removed");
        }
        finally
        {
            servers.ForEach(s => s.Dispose());
        }
    }

    /// <summary>Creates the jobs through Hangfire's client on a few threads, as an application's web front would. Own
    /// threads, not the pool's: the client blocks, and the pool would add threads for it only slowly.</summary>
    private static List<string> CreateSleepJobs(JobStorage storage, int count, int ms)
    {
        const int threads = 16;
        var client = new BackgroundJobClient(storage);
        var job = Job.FromExpression<SleepJob>(x => x.Run(new SleepArguments { Ms = ms }, CancellationToken.None));
        var ids = new string[count];
        var creators = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            for (var i = t; i < count; i += threads) ids[i] = client.Create(job, new EnqueuedState());
        })).ToList();
        creators.ForEach(c => c.Start());
        creators.ForEach(c => c.Join());
        return [.. ids];
    }

    private static string ProcessOf(string serverId, IEnumerable<ChildServer> servers) =>
        servers.FirstOrDefault(s => s.Owns(serverId))?.Name ?? serverId;

    private static string Seconds(TimeSpan span) => $"{span.TotalSeconds:N1} s";
}
