using Hangfire;
using Hangfire.InMemory;
using Hangfire.Logging;
using Hangfire.Server;
using Hangfire.States;
using Hangfire.Storage;

namespace JobServer.Bench.Storages;

/// <summary>
/// Hangfire.InMemory with its defaults (its README names no latency setting: queues and locks are blocking waits, with
/// no polling at all). It is Hangfire.Core's own ceiling on this machine: no network, no disk. It lives in this process
/// only, so the cases that need a second process skip it, and there is no database for a raw baseline.
/// </summary>
internal sealed class InMemoryStorageUnderTest : StorageUnderTest
{
    public const string StorageName = "Hangfire.InMemory";

    private readonly ResettableStorage _storage = new(NewStorage);

    public override string Name => StorageName;

    public override bool SharedAcrossProcesses => false;

    public override Task PrepareAsync()
    {
        var options = new InMemoryStorageOptions();
        Settings = new Dictionary<string, string>
        {
            ["package"] = "Hangfire.InMemory " + VersionOf(typeof(InMemoryStorage)),
            ["server"] = "none: in this process's memory",
            ["durability"] = "none (lost with the process)",
            ["options"] = "defaults: " + Describe(options),
        };
        return Task.CompletedTask;
    }

    /// <summary>The one storage of this process; <see cref="ResetAsync"/> swaps a new, empty one in behind it, so a
    /// client made before a reset sees the new one (as it would see an emptied database).</summary>
    public override JobStorage CreateStorage() => _storage;

    public override Task ResetAsync()
    {
        _storage.Reset();
        return Task.CompletedTask;
    }

    public override Task<double?> RawCommitsPerSecondAsync(int connections, int commits) => Task.FromResult<double?>(null);

    public override ValueTask DisposeAsync()
    {
        _storage.Dispose();
        return ValueTask.CompletedTask;
    }

    private static InMemoryStorage NewStorage() => new(new InMemoryStorageOptions());

    /// <summary>Hands every call to the current <see cref="InMemoryStorage"/>; Hangfire.Core sees that storage's
    /// features and behaviour unchanged. Not disposed by the cases (it is not <see cref="IDisposable"/>).</summary>
    private sealed class ResettableStorage(Func<InMemoryStorage> create) : JobStorage
    {
        private InMemoryStorage _current = create();

        public override bool LinearizableReads => _current.LinearizableReads;

        public void Reset()
        {
            var old = Interlocked.Exchange(ref _current, create());
            old.Dispose();
        }

        public void Dispose() => _current.Dispose();

        public override IMonitoringApi GetMonitoringApi() => _current.GetMonitoringApi();

        public override IStorageConnection GetConnection() => _current.GetConnection();

        public override IStorageConnection GetReadOnlyConnection() => _current.GetReadOnlyConnection();

        [Obsolete("Obsolete in Hangfire 1.8, still called by it for storages that use it.")]
        public override IEnumerable<IServerComponent> GetComponents() => _current.GetComponents();

        public override IEnumerable<IBackgroundProcess> GetServerRequiredProcesses() => _current.GetServerRequiredProcesses();

        public override IEnumerable<IBackgroundProcess> GetStorageWideProcesses() => _current.GetStorageWideProcesses();

        public override IEnumerable<IStateHandler> GetStateHandlers() => _current.GetStateHandlers();

        public override void WriteOptionsToLog(ILog logger) => _current.WriteOptionsToLog(logger);

        public override bool HasFeature(string featureId) => _current.HasFeature(featureId);

        public override string ToString() => _current.ToString();
    }
}
