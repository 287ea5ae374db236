namespace JobServer.Tests.Reliability;

/// <summary>When the MariaDB instance was stopped and started again: it stopped answering by <see cref="Down"/> at
/// the latest, and did not answer before <see cref="Restarting"/> at the earliest.</summary>
internal sealed record Outage(DateTime Stopping, DateTime Down, DateTime Restarting, DateTime Up)
{
    public TimeSpan Length => Restarting - Down;

    public TimeSpan StopTook => Down - Stopping;

    public TimeSpan StartTook => Up - Restarting;

    public bool IsDown(DateTime at) => at >= Down && at < Restarting;

    /// <summary>Stops the instance, keeps it down for <paramref name="length"/>, starts it again — also when stopping
    /// failed, so nothing after finds it down.</summary>
    public static async Task<Outage> RunAsync(PrivateMariaDb instance, TimeSpan length)
    {
        var stopping = DateTime.UtcNow;
        DateTime down, restarting;
        try
        {
            await Task.Run(instance.Stop);
            down = DateTime.UtcNow;
            // The outage's length is the experiment itself, not a wait standing in for an effect.
            await Task.Delay(length);
        }
        finally
        {
            restarting = DateTime.UtcNow;
            await Task.Run(instance.Start);
        }

        return new Outage(stopping, down, restarting, DateTime.UtcNow);
    }
}
