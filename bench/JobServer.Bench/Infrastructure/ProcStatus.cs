using System.Globalization;

namespace JobServer.Bench;

/// <summary>Memory figures from /proc/PID/status: VmHWM is the kernel's own peak of VmRSS over the process's life, so
/// no sampling can miss a short peak.</summary>
internal static class ProcStatus
{
    /// <summary>A "kB" field (e.g. VmHWM, VmRSS) of the process (this one when <paramref name="pid"/> is null), in MB;
    /// NaN when it cannot be read.</summary>
    public static double Mb(string field, int? pid = null)
    {
        try
        {
            var line = File.ReadLines($"/proc/{(pid is { } id ? id.ToString(CultureInfo.InvariantCulture) : "self")}/status")
                .FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal));
            return line is null ? double.NaN
                : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        }
        catch (IOException)
        {
            return double.NaN;
        }
    }
}
