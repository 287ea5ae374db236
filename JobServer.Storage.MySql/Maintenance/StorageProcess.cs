using Hangfire.Server;

namespace JobServer.Storage.MySql.Maintenance;

/// <summary>
/// A background duty of the storage as a Hangfire process: one <see cref="RunOnce"/> per <see cref="Interval"/>.
/// Hangfire calls <see cref="Execute"/> in a loop; a failed pass is logged and retried at the next interval, so the
/// loop never dies while the database is away. Tests call <see cref="RunOnce"/> directly instead of waiting.
/// </summary>
internal abstract class StorageProcess(MySqlStorage storage) : IBackgroundProcess
{
    protected MySqlStorage Storage { get; } = storage;

    protected abstract TimeSpan Interval { get; }

    /// <summary>One pass; returns how many rows it changed.</summary>
    public abstract int RunOnce();

    public void Execute(BackgroundProcessContext context)
    {
        try
        {
            RunOnce();
        }
        catch (Exception ex) when (!context.IsStopping)
        {
            Storage.Log(ex, $"{this} failed; retrying in {Interval}.");
        }
        context.Wait(Interval);
    }
}
