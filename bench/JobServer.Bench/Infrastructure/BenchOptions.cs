using System.Globalization;

namespace JobServer.Bench;

/// <summary>The command line: a case name (or <c>all</c>) and sizes, each with a default sized for a 2-core machine.</summary>
internal sealed class BenchOptions
{
    public const string Usage = """
        Usage: scripts/bench.sh <case> [options]
          cases:   all | bulk | enqueue | processing | latency | reads | memory
          --repeats N         measured runs per figure, after one warm-up (default 3; the median is reported)
          --rows N            bulk: rows per insert (default 1,000,000)
          --enqueue-jobs N    enqueue: jobs per run (default 5,000)
          --backlog N         processing, memory: jobs in the backlog (default 10,000)
          --latency-jobs N    latency: timed jobs per case, enqueued at ~50/s (default 300)
          --jobs N            reads: Succeeded jobs in history, plus N/10 Failed (default 1,000,000, the issue's size; at most that)
          --requests N        reads: timed requests per page (default 20)
          --storage NAME      one storage under test (default: every one, ours first): JobServer.Storage.MySql,
                              Hangfire.InMemory, Hangfire.PostgreSql, Hangfire.Redis.StackExchange
          --ablations         our storage, then our storage with each measured gain switched off (instead of the peers)
          --no-report         do not write docs/benchmarks.json and .svg after 'all'
        Child modes the cases start themselves: child-enqueue (latency), child-serve (processing: --workers N
        --name X --backlog N --report FILE; serves until stdin closes or SIGTERM, then writes its jobs' runs).
        """;

    private readonly string[] _args;

    public BenchOptions(string[] args)
    {
        _args = args;
        Case = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal) && !IsValueOfOption(a)) ?? "all";
        Repeats = Int("--repeats", 3, 1, 100);
        Rows = Int("--rows", 1_000_000, 1_000, 10_000_000);
        EnqueueJobs = Int("--enqueue-jobs", 5_000, 8, 1_000_000);
        Backlog = Int("--backlog", 10_000, 100, 1_000_000);
        LatencyJobs = Int("--latency-jobs", 300, 10, 100_000);
        HistoryJobs = Int("--jobs", 1_000_000, 10, 1_000_000);
        Requests = Int("--requests", 20, 1, 10_000);
        Storage = Text("--storage");
        WriteReport = !args.Contains("--no-report");
        Ablations = args.Contains("--ablations");
    }

    public bool Ablations { get; }

    public string Case { get; }

    public int Repeats { get; }

    public int Rows { get; }

    public int EnqueueJobs { get; }

    public int Backlog { get; }

    public int LatencyJobs { get; }

    public int HistoryJobs { get; }

    public int Requests { get; }

    public string? Storage { get; }

    public bool WriteReport { get; }

    public int Int(string name, int fallback, int min, int max)
    {
        var text = Text(name);
        if (text is null) return fallback;
        if (!int.TryParse(text.Replace("_", "").Replace(",", ""), NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new ArgumentException($"{name} must be a whole number from {min:N0} to {max:N0} (was '{text}').");
        }

        return value;
    }

    public string? Text(string name)
    {
        var index = Array.IndexOf(_args, name);
        if (index < 0) return null;
        return index + 1 < _args.Length ? _args[index + 1] : throw new ArgumentException($"{name} needs a value.");
    }

    private bool IsValueOfOption(string arg)
    {
        var index = Array.IndexOf(_args, arg);
        return index > 0 && _args[index - 1].StartsWith("--", StringComparison.Ordinal) && _args[index - 1] is not ("--no-report" or "--ablations");
    }
}
