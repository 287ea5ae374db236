namespace JobServer.Bench;

/// <summary>Where the benchmark runs: the servers scripts/bench.sh started for the selected storages (it exports one
/// variable per server, so a child process of a case reaches the same ones), and the repository it writes its report into.</summary>
internal sealed class BenchEnvironment
{
    public const string MySqlVariable = "ConnectionStrings__JobServer";
    public const string PostgreSqlVariable = "JOBSERVER_BENCH_POSTGRESQL";
    public const string RedisVariable = "JOBSERVER_BENCH_REDIS";

    /// <summary>The benchmark's own MariaDB database, emptied freely by the cases; it also holds api_data. Empty when
    /// the run measures no storage on it (bench.sh then starts no MariaDB): the bench's no-op jobs never touch api_data.</summary>
    public string ConnectionString { get; } = Variable(MySqlVariable);

    /// <summary>Npgsql connection string of the benchmark's private PostgreSQL database, or empty.</summary>
    public string PostgreSqlConnectionString { get; } = Variable(PostgreSqlVariable);

    /// <summary>StackExchange.Redis configuration (host:port) of the benchmark's private Redis, or empty.</summary>
    public string RedisConfiguration { get; } = Variable(RedisVariable);

    /// <summary>The value, or a clear error naming the variable when the storage needing it has no server.</summary>
    public string Require(string value, string variable) => value.Length > 0
        ? value
        : throw new InvalidOperationException($"Set {variable} (scripts/bench.sh does when the selected storages need that server).");

    private static string Variable(string name) => Environment.GetEnvironmentVariable(name) ?? "";

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
