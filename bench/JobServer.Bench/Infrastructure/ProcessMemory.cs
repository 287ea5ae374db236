using System.Globalization;

namespace JobServer.Bench;

/// <summary>Samples this process's resident memory (VmRSS) every 50 ms while it runs; <see cref="PeakMb"/> is the highest seen.</summary>
internal sealed class ProcessMemory : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;
    private double _peakMb;

    public ProcessMemory() => _sampling = Task.Run(SampleAsync);

    public double PeakMb => Volatile.Read(ref _peakMb);

    public static double CurrentRssMb()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? Environment.WorkingSet / 1048576.0
            : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    private async Task SampleAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var now = CurrentRssMb();
            if (now > _peakMb) Volatile.Write(ref _peakMb, now);
            try { await Task.Delay(50, _stop.Token); } catch (OperationCanceledException) { }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampling;
        _stop.Dispose();
    }
}
