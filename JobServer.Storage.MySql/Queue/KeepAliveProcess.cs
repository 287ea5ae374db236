using JobServer.Storage.MySql.Maintenance;

namespace JobServer.Storage.MySql.Queue;

/// <summary>The keep-alive as a Hangfire server process: one refresh per <see cref="MySqlStorageOptions.KeepAliveInterval"/>.</summary>
internal sealed class KeepAliveProcess(MySqlStorage storage) : StorageProcess(storage)
{
    // The invisibility timeout allows for two missed refreshes before a held job could be given back.
    protected override TimeSpan Interval => Storage.Options.KeepAliveInterval;

    public override int RunOnce() => Storage.KeepAlive.RefreshIfDue();

    public override string ToString() => "MySQL keep-alive";
}
