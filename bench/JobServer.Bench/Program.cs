using JobServer.Bench;

// Usage: dotnet run -c Release --project bench/JobServer.Bench -- all|bulk|enqueue|latency|processing|reads [--rows N] [--repeats N] [--jobs N] [--backlog N]
// scripts/bench.sh starts the database and passes the connection string in ConnectionStrings__JobServer.
var connectionString = Environment.GetEnvironmentVariable("ConnectionStrings__JobServer")
    ?? throw new InvalidOperationException("Set ConnectionStrings__JobServer (scripts/bench.sh does).");
var rows = IntOption("--rows", 1_000_000);
var repeats = IntOption("--repeats", 3);
var which = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal) && !int.TryParse(a, out _)) ?? "bulk";

var jobs = IntOption("--jobs", 1_000_000);
var database = new BenchDatabase(connectionString);
Console.WriteLine($"JobServer benchmark on {Environment.ProcessorCount} cores; medians of {repeats} runs after a warm-up.");

switch (which)
{
    case "bulk":
        database.EmptyJobs();
        BenchResult.Print("Bulk insert into api_data", await new BulkInsertBenchmark(database, rows, repeats).RunAsync());
        break;
    case "processing":
        BenchResult.Print("Processing", await new ProcessingBenchmark(database, IntOption("--backlog", 50_000), repeats, IntOption("--workers", 50)).RunAsync());
        break;
    case "latency":
        BenchResult.Print("Latency", await new LatencyBenchmark(database, IntOption("--jobs", 300)).RunAsync());
        break;
    case "enqueue":
        BenchResult.Print("Enqueue rate (jobs/s)", await new EnqueueBenchmark(database, IntOption("--jobs", 5_000), repeats).RunAsync());
        break;
    case "all":
        await RunAllAsync();
        break;
    case "reads":
        ReadPathBenchmark.Print(await new ReadPathBenchmark(database, jobs, requests: 20 * repeats).RunAsync(), jobs);
        break;
    default:
        Console.Error.WriteLine($"Unknown case '{which}'. Cases: all, bulk, enqueue, latency, processing, reads");
        return 2;
}

return 0;

// Every case, one table each, then docs/benchmarks.json and docs/benchmarks.svg for the README.
async Task RunAllAsync()
{
    var groups = new List<(string, IReadOnlyList<BenchResult>)>();
    void Add(string group, IReadOnlyList<BenchResult> results)
    {
        BenchResult.Print(group, results);
        groups.Add((group, results));
    }

    database.EmptyJobs();
    Add("Bulk insert, 1,000,000 rows (rows/s)", await new BulkInsertBenchmark(database, rows, repeats).RunAsync());
    Add("Enqueue rate (jobs/s)", await new EnqueueBenchmark(database, IntOption("--enqueue-jobs", 5_000), repeats).RunAsync());
    Add("Processing sleep-0 jobs (jobs/s)", await new ProcessingBenchmark(database, IntOption("--backlog", 50_000), repeats, IntOption("--workers", 50)).RunAsync());
    Add("Latency with idle workers (ms)", await new LatencyBenchmark(database, IntOption("--latency-jobs", 300)).RunAsync());
    var reads = await new ReadPathBenchmark(database, jobs, requests: 20 * repeats).RunAsync();
    ReadPathBenchmark.Print(reads, jobs);
    groups.Add(($"Read paths with {jobs:N0} jobs in history (median server ms)", reads.Select(r => new BenchResult(r.Path, "ms", r.Median)).ToList()));
    BenchReport.Write(Path.Combine(RepositoryRoot(), "docs"), groups);
}

string RepositoryRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "JobServer.sln")))
        {
            return dir.FullName;
        }
    }

    return Directory.GetCurrentDirectory();
}

int IntOption(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], out var value) ? value : fallback;
}
