using Hangfire.Server;

namespace JobServer.Storage.MySql.Queue;

/// <summary>The keep-alive as a Hangfire server process: one refresh per <see cref="MySqlStorageOptions.KeepAliveInterval"/>.</summary>
internal sealed class KeepAliveProcess(MySqlStorage storage) : IBackgroundProcess
{
    public void Execute(BackgroundProcessContext context)
    {
        try
        {
            storage.KeepAlive.RefreshIfDue();
        }
        catch (Exception ex) when (!context.IsStopping)
        {
            // Retried at the next interval; the invisibility timeout allows for two misses.
            storage.Log(ex, "Keep-alive of fetched jobs failed; retrying at the next interval.");
        }
        context.Wait(storage.Options.KeepAliveInterval);
    }

    public override string ToString() => "MySQL keep-alive";
}
