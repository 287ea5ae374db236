namespace JobServer.Engine;

/// <summary>
/// One periodic duty of a server (promote due jobs, heartbeat, recover dead servers, expire, …). The shared
/// <see cref="BackgroundLoop"/> does all the waiting, so tests drive a process by calling <see cref="RunOnceAsync"/>.
/// </summary>
internal interface IBackgroundProcess
{
    string Name { get; }

    /// <summary>Pause between runs when the last run did not fill a batch.</summary>
    TimeSpan Interval { get; }

    /// <summary>A run that did this much work is repeated at once: more is probably waiting.</summary>
    int BatchSize { get; }

    /// <summary>Does one round of work and says how much it did.</summary>
    Task<int> RunOnceAsync(CancellationToken cancellationToken);
}
