using System.Diagnostics;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using JobServer.Storage.MySql.Tests.Child;
using JobServer.Storage.MySql.Tests.Infrastructure;
using Xunit.Abstractions;

namespace JobServer.Storage.MySql.Tests.EndToEnd;

public sealed class RecurringTests(MySqlTestDatabase db, ITestOutputHelper output) : IClassFixture<MySqlTestDatabase>
{
    private const int Occurrences = 6;

    [Fact]
    public async Task AddOrUpdate_EverySecondOnThreeServers_OneJobPerOccurrenceRunOnce()
    {
        // Three storage instances: three processes as far as the storage can tell (owner names, fetchers, locks).
        using var first = EndToEndSetup.Prepare(db);
        using var second = db.CreateStorage();
        using var third = db.CreateStorage();
        MySqlStorage[] storages = [first, second, third];
        var tables = new HangfireTables(db, first);
        var tag = EndToEndSetup.NewTag("recurring");
        var recurringId = "every-second-" + tag;
        var servers = storages.Select(s => TestServers.Start(s)).ToList();
        try
        {
            var manager = new RecurringJobManager(first);
            var registered = Stopwatch.StartNew();
            manager.AddOrUpdate(recurringId, Job.FromExpression(() => E2EJobs.Record(db.ConnectionString, tag, null!)), "* * * * * *", new RecurringJobOptions());
            await Eventually.Until(() => CreatedJobs(tables, recurringId).Count, n => n >= Occurrences, TimeSpan.FromSeconds(Occurrences + 10), $"{Occurrences} jobs created by {recurringId}");
            // RemoveIfExists takes the recurring job's lock, so no scheduler creates another one after it returns.
            manager.RemoveIfExists(recurringId);
            var elapsed = registered.Elapsed;

            var created = CreatedJobs(tables, recurringId);
            await Eventually.Until(() => created.Count(j => tables.State(j.JobId.ToString()) == SucceededState.StateName), n => n == created.Count, TimeSpan.FromSeconds(15), "every created job Succeeded");
            output.WriteLine($"{created.Count} jobs in {elapsed.TotalSeconds:0.00} s, occurrences {string.Join(", ", created.Select(j => j.Time))}");

            Assert.Equal(created.Count, created.Select(j => j.Time).Distinct().Count());
            // Hangfire counts the occurrence at the start of the registration second too (it schedules from CreatedAt
            // minus one second), so the window is [floor(registered), removed]: at most floor(elapsed) + 2 occurrences.
            // One fewer than floor(elapsed) allows a scheduler pass late by over a second (Relaxed misfire merges two).
            Assert.InRange(created.Count, (int)elapsed.TotalSeconds - 1, (int)elapsed.TotalSeconds + 2);
            var starts = ExecutionLog.Read(db.ConnectionString, tag).Where(e => e.Event == ExecutionLog.Started).ToList();
            Assert.Equal(created.Select(j => j.JobId).Order(), starts.Select(e => e.JobId).Order());
            var claims = FetchAudit.ClaimsPerJob(db);
            Assert.All(created, j => Assert.Equal(1, claims[j.JobId]));
        }
        finally
        {
            foreach (var server in servers) server.Dispose();
        }
    }

    private static IReadOnlyList<(long JobId, long Time)> CreatedJobs(HangfireTables tables, string recurringId) =>
        tables.Query<(long, long)>("""
            SELECT r.job_id, CAST(t.value AS SIGNED)
            FROM hf_job_parameter r
            JOIN hf_job_parameter t ON t.job_id = r.job_id AND t.name = 'Time'
            WHERE r.name = 'RecurringJobId' AND r.value = CONCAT('"', @recurringId, '"')
            ORDER BY r.job_id
            """, new { recurringId });
}
