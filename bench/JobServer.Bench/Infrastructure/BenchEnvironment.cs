namespace JobServer.Bench;

/// <summary>Where the benchmark runs: its database (scripts/bench.sh passes <c>ConnectionStrings__JobServer</c>) and
/// the repository it writes its report into.</summary>
internal sealed class BenchEnvironment
{
    public BenchEnvironment()
    {
        ConnectionString = Environment.GetEnvironmentVariable("ConnectionStrings__JobServer") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException("Set ConnectionStrings__JobServer (scripts/bench.sh does).");
    }

    /// <summary>The benchmark's own MariaDB database, emptied freely by the cases; it also holds api_data.</summary>
    public string ConnectionString { get; }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "JobServer.sln"))) return dir.FullName;
        }

        return Directory.GetCurrentDirectory();
    }

    /// <summary>The 1, 5 and 15 minute load averages: other work on the machine shows in every figure, so the report
    /// says how busy it was.</summary>
    public static string LoadAverage()
    {
        try
        {
            return string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    /// <summary>"model name" of the first CPU, or the architecture.</summary>
    public static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            if (line is not null) return line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException)
        {
        }

        return System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString();
    }
}
