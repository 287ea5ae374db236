using System.Text.RegularExpressions;
using JobServer.Jobs;

namespace JobServer.Hosting;

/// <summary>One Hangfire server in this process: the queues it fetches from, in priority order, and its workers.</summary>
public sealed partial class ServerPoolOptions
{
    public const int MaxWorkers = 1000;

    /// <summary>Shown in the server's name when the process runs several. Default: its first queue.</summary>
    public string? Name { get; set; }

    /// <summary>Queue names in priority order: a worker takes from the first queue that has a job. Hangfire's rule for
    /// a name: lowercase letters, digits, '_' and '-'.</summary>
    public List<string> Queues { get; set; } = [];

    /// <summary>Workers (jobs at once). Default: Hangfire's, 5 per core and at most 20.</summary>
    public int? Workers { get; set; }

    internal string NameOrFirstQueue => string.IsNullOrWhiteSpace(Name) ? Queues.FirstOrDefault() ?? "" : Name;

    internal int EffectiveWorkers => Workers ?? JobServerOptions.DefaultWorkerCount;

    /// <summary><c>default</c> with Hangfire's worker count, then <c>cpu</c> with one worker per core.</summary>
    public static IReadOnlyList<ServerPoolOptions> DefaultPools() =>
    [
        new() { Name = "default", Queues = ["default"] },
        new() { Name = CpuJob.QueueName, Queues = [CpuJob.QueueName], Workers = Environment.ProcessorCount },
    ];

    internal IEnumerable<string> Problems(string key)
    {
        if (Queues.Count == 0) yield return $"{key}:Queues must name at least one queue.";
        foreach (var queue in Queues)
        {
            if (!IsValidQueueName(queue)) yield return $"{key}:Queues has '{queue}': a queue name is 1-50 lowercase letters, digits, '_' or '-' (Hangfire's rule).";
        }

        if (Queues.Distinct(StringComparer.Ordinal).Count() != Queues.Count) yield return $"{key}:Queues names a queue twice.";
        if (EffectiveWorkers is < 1 or > MaxWorkers) yield return $"{key}:Workers must be between 1 and {MaxWorkers} (was {Workers}).";
    }

    public static bool IsValidQueueName(string? queue) => queue is { Length: > 0 and <= 50 } && QueueNamePattern().IsMatch(queue);

    [GeneratedRegex(@"^[a-z0-9_-]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex QueueNamePattern();
}
