namespace JobServer.Storage.MySql.Tests.Infrastructure;

/// <summary>The system clock moved by an offset the test sets: "two hours later" without waiting two hours.</summary>
public sealed class ShiftedTime : TimeProvider
{
    private long _offsetTicks;

    public TimeSpan Offset
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));
        set => Interlocked.Exchange(ref _offsetTicks, value.Ticks);
    }

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
}
