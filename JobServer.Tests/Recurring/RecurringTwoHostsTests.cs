using JobServer.Tests.Infrastructure;
using Xunit.Abstractions;

namespace JobServer.Tests.Recurring;

/// <summary>Two hosts on one database run four Hangfire schedulers polling the same recurring job every 200 ms. The
/// scheduler's distributed locks (<c>recurring-jobs:lock</c> and the job's own) are GET_LOCK on our storage; if they
/// did not exclude each other across processes, an occurrence would be created twice.</summary>
public sealed class RecurringTwoHostsTests(TestDatabase database, ITestOutputHelper output) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task PerSecondJob_OnTwoHosts_GetsExactlyOneJobPerOccurrence()
    {
        await using var first = new JobServerFactory(database.ConnectionString);
        await using var second = new JobServerFactory(database.ConnectionString);
        using var client = await first.CreateReadyClientAsync();
        await second.ReadyAsync();
        var id = RecurringTestKit.NewId("twice");

        // Strict: every occurrence is due a job, so the jobs must be exactly the seconds elapsed, each once.
        await client.PutRecurringAsync(id, new { cron = "* * * * * *", type = "sleep", args = new { ms = 1 }, misfire = "strict" });
        await Eventually.UntilAsync(() => RecurringTestKit.JobsOf(database, id).Count, n => n >= 8, TimeSpan.FromSeconds(60), "eight occurrences");
        await client.DeleteAsync(RecurringTestKit.Path(id));
        var jobs = RecurringTestKit.JobsOf(database, id);

        var times = jobs.Select(j => j.Time).ToList();
        var span = times.Max() - times.Min() + 1;
        var servers = first.Storage.GetMonitoringApi().Servers().Count(s => s.Name.StartsWith(first.ServerName) || s.Name.StartsWith(second.ServerName));
        output.WriteLine($"{jobs.Count} jobs for {span} occurrences ({times.Min()}..{times.Max()}), {servers} Hangfire servers scheduling");
        Assert.Equal(4, servers);
        Assert.Equal(jobs.Count, times.Distinct().Count());
        Assert.Equal(span, jobs.Count);
    }
}
