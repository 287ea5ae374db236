using System.ComponentModel.DataAnnotations;

namespace JobServer.Jobs.Cpu;

/// <summary>Arguments of <see cref="CpuJob"/>.</summary>
public sealed class CpuArgs
{
    /// <summary>Count the primes below this number, 2 to 50,000,000 (50M takes about 0.15 s of one core here).</summary>
    [Range(2, 50_000_000, ErrorMessage = "must be between 2 and 50000000")]
    public required int N { get; init; }
}
