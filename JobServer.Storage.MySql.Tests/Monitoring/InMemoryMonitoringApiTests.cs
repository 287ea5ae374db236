using Hangfire.InMemory;

namespace JobServer.Storage.MySql.Tests.Monitoring;

/// <summary>The reference: Hangfire.InMemory answers the monitoring contract as Hangfire's authors intend.</summary>
public sealed class InMemoryMonitoringApiTests() : MonitoringApiTestsBase(new InMemoryStorage())
{
    public override void Dispose()
    {
        ((InMemoryStorage)Storage).Dispose();
        base.Dispose();
    }

    // InMemory hands a job over without a fetched phase it could report.
    protected override void AssertFetchedWhileProcessing(string queue, string jobId)
    {
        Assert.Empty(Api.FetchedJobs(queue, 0, 10));
        Assert.Equal(0, Api.FetchedCount(queue));
    }
}
