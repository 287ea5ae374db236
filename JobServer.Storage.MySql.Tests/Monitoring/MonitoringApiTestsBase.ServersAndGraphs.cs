using Hangfire;
using Hangfire.Common;
using Hangfire.States;

namespace JobServer.Storage.MySql.Tests.Monitoring;

/// <summary>The contract's parts that need a running server or counters: processing, servers, history graphs.</summary>
public abstract partial class MonitoringApiTestsBase
{
    [Fact]
    public void HistoryGraphs_SucceededFailedDeleted_CountTodayAndThisHour()
    {
        Succeeded("x");
        Succeeded("y");
        Failed("graph failure");
        Deleted();
        Deleted();
        Deleted();

        AssertGraph(Api.SucceededByDatesCount(), 7, 2);
        AssertGraph(Api.FailedByDatesCount(), 7, 1);
        AssertGraph(Api.DeletedByDatesCount(), 7, 3);
        AssertGraph(Api.HourlySucceededJobs(), 24, 2);
        AssertGraph(Api.HourlyFailedJobs(), 24, 1);
        AssertGraph(Api.HourlyDeletedJobs(), 24, 3);
        Assert.Equal(DateTime.UtcNow.Date, Api.SucceededByDatesCount().Keys.Max());
    }

    private static void AssertGraph(IDictionary<DateTime, long> graph, int points, long total)
    {
        Assert.Equal(points, graph.Count);
        // The newest point comes first, the rest each one step earlier; the jobs fall on one of the newest points.
        Assert.Equal(graph.Keys.OrderByDescending(k => k), graph.Keys);
        Assert.Equal(total, graph.Values.Sum());
    }

    [Fact]
    public async Task ProcessingJobs_JobRunningOnServer_ServerIdStartedAtAndServerListed()
    {
        var gate = Guid.NewGuid().ToString("N");
        using var server = new BackgroundJobServer(new BackgroundJobServerOptions
        {
            ServerName = "monitoring-test",
            WorkerCount = 1,
            Queues = ["blocking"],
            ShutdownTimeout = TimeSpan.FromSeconds(10),
        }, Storage);
        var id = Client.Create(Job.FromExpression(() => MonitoringJobs.Block(gate)), new EnqueuedState("blocking"));
        try
        {
            await Poll.UntilAsync(() => Api.ProcessingCount() == 1, "the job to start processing");

            var processing = Assert.Single(Api.ProcessingJobs(0, 10));
            var serverDto = Assert.Single(Api.Servers());

            Assert.Equal(id, processing.Key);
            Assert.True(processing.Value.InProcessingState);
            Assert.Equal(serverDto.Name, processing.Value.ServerId);
            Assert.NotNull(processing.Value.StartedAt);
            Assert.StartsWith("monitoring-test", serverDto.Name);
            Assert.Equal(1, serverDto.WorkersCount);
            Assert.Equal(["blocking"], serverDto.Queues);
            Assert.InRange(serverDto.StartedAt, DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddMinutes(1));
            Assert.NotNull(serverDto.Heartbeat);
            Assert.Equal(1, Api.GetStatistics().Servers);
            AssertFetchedWhileProcessing("blocking", id);
        }
        finally
        {
            MonitoringJobs.Open(gate);
        }

        await Poll.UntilAsync(() => Api.SucceededListCount() == 1, "the job to succeed");
        var succeeded = Assert.Single(Api.SucceededJobs(0, 10));
        Assert.Equal(id, succeeded.Key);
        Assert.NotNull(succeeded.Value.TotalDuration);
        Assert.Equal(0, Api.ProcessingCount());
    }
}
