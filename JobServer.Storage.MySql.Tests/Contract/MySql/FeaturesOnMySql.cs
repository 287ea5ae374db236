using Hangfire;
using JobServer.Storage.MySql.Queue;
using JobServer.Storage.MySql.Tests.Infrastructure;

namespace JobServer.Storage.MySql.Tests.Contract.MySql;

/// <summary>The features Hangfire asks about (HANGFIRE-STORAGE.md §1, §8): ours reports every one, and linearizable reads.</summary>
public sealed class FeaturesOnMySql(MySqlTestDatabase db) : MySqlContractStorage(db), IClassFixture<MySqlTestDatabase>
{
    public static TheoryData<string> Features() =>
    [
        "Job.Queue",
        "Storage.ExtendedApi",
        "Storage.ProcessesInsteadOfComponents",
        "Connection.GetUtcDateTime",
        "Connection.BatchedGetFirstByLowestScoreFromSet",
        "BatchedGetFirstByLowestScoreFromSet",
        "Connection.GetSetContains",
        "Connection.GetSetCount.Limited",
        "Transaction.AcquireDistributedLock",
        "Transaction.CreateJob",
        "Transaction.SetJobParameter",
        "TransactionalAcknowledge:" + nameof(MySqlFetchedJob),
        "Monitoring.DeletedStateGraphs",
        "Monitoring.AwaitingJobs",
    ];

    [Theory]
    [MemberData(nameof(Features))]
    public void HasFeature_EveryFeatureOfTheContract_True(string feature)
    {
        JobStorage storage = NewStorage();

        Assert.True(storage.HasFeature(feature));
        Assert.True(storage.HasFeature(feature.ToUpperInvariant()));
    }

    [Fact]
    public void HasFeature_UnknownFeature_FalseAndReadsAreLinearizable()
    {
        JobStorage storage = NewStorage();

        Assert.False(storage.HasFeature("Storage.Teleport"));
        Assert.True(storage.LinearizableReads);
    }
}
