using System.Diagnostics;
using Dapper;

namespace JobServer.Bench;

/// <summary>
/// The database's own limit for an engine that commits once per job: durable one-row INSERTs, each its own
/// transaction (autocommit), from a number of connections at once. Measured in the same run as the cases compared
/// with it, because this machine's figures drift from run to run.
/// </summary>
internal static class RawCommitBaseline
{
    public static BenchResult Measure(BenchDatabase database, int connections, int commits, int repeats)
    {
        using (var setup = database.Open())
        {
            setup.Execute("CREATE TABLE IF NOT EXISTS bench_commit (id BIGINT AUTO_INCREMENT PRIMARY KEY, payload VARCHAR(100) NOT NULL) ENGINE=InnoDB");
        }

        var rates = new List<double>();
        for (var run = -1; run < repeats; run++)
        {
            using (var empty = database.Open())
            {
                empty.Execute("TRUNCATE TABLE bench_commit");
            }

            var stopwatch = Stopwatch.StartNew();
            Parallel.For(0, connections, new ParallelOptions { MaxDegreeOfParallelism = connections }, _ =>
            {
                using var connection = database.Open();
                for (var i = 0; i < commits / connections; i++)
                {
                    connection.Execute("INSERT INTO bench_commit (payload) VALUES (@payload)", new { payload = """{"ms":0}""" });
                }
            });
            if (run >= 0)
            {
                rates.Add(commits / connections * connections / stopwatch.Elapsed.TotalSeconds);
            }
        }

        rates.Sort();
        var who = connections == 1 ? "1 connection" : $"{connections} connections";
        return new BenchResult($"raw: one-row INSERT, one commit each, {who}", "commits/s", rates[rates.Count / 2]) { IsBaseline = true };
    }
}
