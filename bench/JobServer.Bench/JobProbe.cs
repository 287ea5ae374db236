using System.Collections.Concurrent;
using System.Diagnostics;

namespace JobServer.Bench;

/// <summary>What the <see cref="NoopJob"/>s of this process did since the last <see cref="Reset"/>: runs per job
/// number, the first start and last finish, and enqueue → start latencies. Thread-safe.</summary>
internal static class JobProbe
{
    private static int[] _runs = [];
    private static int _total;
    private static long _firstTimestamp;
    private static long _lastTimestamp;
    private static long _firstUtcTicks;
    private static long _lastUtcTicks;
    private static ConcurrentQueue<double> _latenciesMs = new();

    public static int Total => Volatile.Read(ref _total);

    public static int LatencyCount => _latenciesMs.Count;

    /// <summary>Seconds from the first job's start to the last job's end.</summary>
    public static double BusySeconds => Stopwatch.GetElapsedTime(Interlocked.Read(ref _firstTimestamp), Interlocked.Read(ref _lastTimestamp)).TotalSeconds;

    /// <summary>The first job's start and the last job's end as <see cref="DateTime.UtcNow"/> ticks: unlike Stopwatch
    /// timestamps they compare across processes (the multi-process processing case merges them); 0 before any run.</summary>
    public static long FirstStartUtcTicks => Interlocked.Read(ref _firstUtcTicks);

    public static long LastEndUtcTicks => Interlocked.Read(ref _lastUtcTicks);

    /// <summary>Runs per job number so far (a copy).</summary>
    public static int[] RunsPerJob() => [.. _runs];

    public static void Reset(int jobs = 0)
    {
        _runs = new int[jobs];
        _total = 0;
        _firstTimestamp = 0;
        _lastTimestamp = 0;
        _firstUtcTicks = 0;
        _lastUtcTicks = 0;
        _latenciesMs = new ConcurrentQueue<double>();
    }

    public static void Ran(int n)
    {
        var now = Stopwatch.GetTimestamp();
        Interlocked.CompareExchange(ref _firstTimestamp, now, 0);
        Interlocked.CompareExchange(ref _firstUtcTicks, DateTime.UtcNow.Ticks, 0);
        var runs = _runs;
        if ((uint)n < (uint)runs.Length) Interlocked.Increment(ref runs[n]);
        Interlocked.Increment(ref _total);
        InterlockedMax(ref _lastTimestamp, Stopwatch.GetTimestamp());
        InterlockedMax(ref _lastUtcTicks, DateTime.UtcNow.Ticks);
    }

    public static void Started(long enqueuedAtUtcTicks) =>
        _latenciesMs.Enqueue(TimeSpan.FromTicks(DateTime.UtcNow.Ticks - enqueuedAtUtcTicks).TotalMilliseconds);

    public static List<double> Latencies() => [.. _latenciesMs];

    private static void InterlockedMax(ref long target, long value)
    {
        for (var current = Interlocked.Read(ref target); value > current; current = Interlocked.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, current) == current) return;
        }
    }
}
