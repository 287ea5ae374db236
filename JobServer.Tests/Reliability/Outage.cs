using JobServer.Tests.Infrastructure;

namespace JobServer.Tests.Reliability;

/// <summary>When the test MariaDB was stopped and started again: it stopped answering by <see cref="Down"/> at the
/// latest, and did not answer before <see cref="Restarting"/> at the earliest.</summary>
internal sealed record Outage(DateTime Stopping, DateTime Down, DateTime Restarting, DateTime Up)
{
    public TimeSpan Length => Restarting - Down;

    public TimeSpan StopTook => Down - Stopping;

    public TimeSpan StartTook => Up - Restarting;

    public bool IsDown(DateTime at) => at >= Down && at < Restarting;

    /// <summary>Stops the test MariaDB, keeps it down for <paramref name="length"/>, starts it again — also when
    /// stopping failed, so no later test finds it down.</summary>
    public static async Task<Outage> RunAsync(TimeSpan length)
    {
        var stopping = DateTime.UtcNow;
        DateTime down, restarting;
        try
        {
            await Task.Run(TestMariaDb.Stop);
            down = DateTime.UtcNow;
            // The outage's length is the experiment itself, not a wait standing in for an effect.
            await Task.Delay(length);
        }
        finally
        {
            restarting = DateTime.UtcNow;
            await Task.Run(TestMariaDb.Start);
        }

        return new Outage(stopping, down, restarting, DateTime.UtcNow);
    }
}
