using System.ComponentModel.DataAnnotations;

namespace JobServer.Engine;

/// <summary>One queue a server works and how many jobs of it may run at once.</summary>
public sealed class QueueOptions
{
    [Required]
    [RegularExpression(QueueName.Pattern)]
    public string Name { get; set; } = "default";

    /// <summary>Concurrent jobs of this queue on this server; 0 means one per processor core (for CPU-bound work).
    /// I/O-bound queues can take many more. Default 10.</summary>
    [Range(0, 1000)]
    public int Workers { get; set; } = 10;

    public int EffectiveWorkers => Workers == 0 ? Environment.ProcessorCount : Workers;
}
