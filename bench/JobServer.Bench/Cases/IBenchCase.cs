using JobServer.Bench.Storages;

namespace JobServer.Bench.Cases;

/// <summary>One case, runnable alone by its name; it measures one storage under test and returns its tables.</summary>
internal interface IBenchCase
{
    string Name { get; }

    Task<IReadOnlyList<BenchGroup>> RunAsync(StorageUnderTest storage);
}
