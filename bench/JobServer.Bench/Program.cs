using JobServer.Bench;
using JobServer.Bench.Cases;
using JobServer.Bench.Storages;

// scripts/bench.sh starts the servers the selected storages need (MariaDB, PostgreSQL, Redis) and passes their
// addresses in environment variables (BenchEnvironment).
if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}

BenchOptions options;
try
{
    options = new BenchOptions(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

if (options.Storage is { } named && !StorageUnderTest.Names.Contains(named) && !StorageUnderTest.AblationNames.Contains(named))
{
    Console.Error.WriteLine($"Unknown storage '{named}'. Storages: {string.Join(", ", StorageUnderTest.Names.Concat(StorageUnderTest.AblationNames))}");
    return 2;
}

var environment = new BenchEnvironment();
BenchHangfire.Configure();

if (options.Case == ChildEnqueuer.CommandName)
{
    // The other process of the latency case: enqueues and exits.
    return await ChildEnqueuer.RunAsync(options, environment);
}

if (options.Case == ChildServer.CommandName)
{
    // A server process of the processing case: serves until stdin closes, then reports its jobs' runs.
    return await ChildServer.RunAsync(options, environment);
}

IBenchCase[] cases =
[
    new BulkInsertCase(environment, options),
    new EnqueueCase(options),
    new ProcessingCase(environment, options),
    new LatencyCase(environment, options),
    new ReadsCase(options),
    new HostMemoryCase(environment, options),
];
var selected = options.Case == "all" ? cases : cases.Where(c => c.Name == options.Case).ToArray();
if (selected.Length == 0)
{
    Console.Error.WriteLine($"Unknown case '{options.Case}'.");
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

IReadOnlyList<string> storageNames = options.Storage is not null ? [options.Storage]
    : options.Ablations ? [StorageUnderTest.Names[0], .. StorageUnderTest.AblationNames]
    : StorageUnderTest.Names;
var loadBefore = BenchEnvironment.LoadAverage();
Console.WriteLine($"JobServer benchmark on {Environment.ProcessorCount} cores ({BenchEnvironment.CpuModel()}), load average {loadBefore}; medians of {options.Repeats} runs after a warm-up.");
var groups = new List<BenchGroup>();
var settings = new Dictionary<string, IReadOnlyDictionary<string, string>>();
var wholeRun = System.Diagnostics.Stopwatch.StartNew();
foreach (var name in storageNames)
{
    await using var storage = StorageUnderTest.Create(name, environment);
    await storage.PrepareAsync();
    settings[storage.Name] = storage.Settings;
    Console.WriteLine();
    Console.WriteLine($"{storage.Name}: {string.Join("; ", storage.Settings.Select(s => $"{s.Key} {s.Value}"))}");
    foreach (var benchCase in selected)
    {
        Console.WriteLine();
        Console.WriteLine($"== {benchCase.Name} on {storage.Name}");
        var caseTime = System.Diagnostics.Stopwatch.StartNew();
        foreach (var group in await benchCase.RunAsync(storage))
        {
            group.Print();
            groups.Add(group);
        }

        // The whole run must stay short enough to repeat (issue 13: ~15 minutes for ours), so each case says what it costs.
        Console.WriteLine($"({benchCase.Name} on {storage.Name} took {caseTime.Elapsed.TotalSeconds:N0} s, load average {BenchEnvironment.LoadAverage()})");
    }
}

groups.AddRange(PeerComparison.Compare(groups, [.. settings.Keys]));
var loadAfter = BenchEnvironment.LoadAverage();
Console.WriteLine();
Console.WriteLine($"load average at the start {loadBefore}, at the end {loadAfter} (1 / 5 / 15 min, {Environment.ProcessorCount} cores); {wholeRun.Elapsed.TotalMinutes:N1} min in all");
if (options.Case == "all" && options.WriteReport)
{
    BenchReport.Write(Path.Combine(BenchEnvironment.RepositoryRoot(), "docs"), settings, groups, $"load average {loadBefore} at the start, {loadAfter} at the end");
}

return 0;
