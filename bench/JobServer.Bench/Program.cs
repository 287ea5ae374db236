using JobServer.Bench;

// Usage: dotnet run -c Release --project bench/JobServer.Bench -- bulk|latency|processing|reads [--rows N] [--repeats N] [--jobs N] [--backlog N]
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
        BenchResult.Print("Processing", await new ProcessingBenchmark(database, IntOption("--backlog", 50_000), repeats, IntOption("--workers", 20)).RunAsync());
        break;
    case "latency":
        await new LatencyBenchmark(database, IntOption("--jobs", 300)).RunAsync();
        break;
    case "reads":
        ReadPathBenchmark.Print(await new ReadPathBenchmark(database, jobs, requests: 20 * repeats).RunAsync(), jobs);
        break;
    default:
        Console.Error.WriteLine($"Unknown case '{which}'. Cases: bulk, latency, processing, reads");
        return 2;
}

return 0;

int IntOption(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], out var value) ? value : fallback;
}
