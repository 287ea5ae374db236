namespace JobServer.Tests.Scheduling;

/// <summary>
/// A <see cref="TimeProvider"/> whose clock moves only when a test moves it, so time-dependent code is tested
/// without sleeps. Method names follow Microsoft's FakeTimeProvider (<see cref="SetUtcNow"/>,
/// <see cref="Advance"/>) so it can be swapped in later.
/// </summary>
/// <remarks>
/// <see cref="GetUtcNow"/> and <see cref="GetTimestamp"/> follow the fake clock (so <c>GetElapsedTime</c>
/// does too); timers and <c>Task.Delay</c> still run on real time. The zone is UTC. Thread-safe: engines
/// may read the clock from other threads while a test advances it.
/// </remarks>
public sealed class ManualTimeProvider : TimeProvider
{
    private long _utcTicks;

    /// <summary>Starts the clock at 2000-01-01T00:00:00Z, as FakeTimeProvider does.</summary>
    public ManualTimeProvider()
        : this(new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    /// <summary>Starts the clock at <paramref name="start"/>.</summary>
    public ManualTimeProvider(DateTimeOffset start) => SetUtcNow(start);

    /// <inheritdoc />
    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <inheritdoc />
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _utcTicks), TimeSpan.Zero);

    /// <inheritdoc />
    public override long GetTimestamp() => Interlocked.Read(ref _utcTicks);

    /// <summary>Sets the clock to <paramref name="value"/>; it may move backwards, as a real clock can.</summary>
    public void SetUtcNow(DateTimeOffset value) => Interlocked.Exchange(ref _utcTicks, value.UtcTicks);

    /// <summary>Moves the clock forward by <paramref name="delta"/> (zero or more).</summary>
    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        Interlocked.Add(ref _utcTicks, delta.Ticks);
    }
}
