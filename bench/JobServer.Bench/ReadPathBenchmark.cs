using System.Diagnostics;
using System.Globalization;
using Dapper;

namespace JobServer.Bench;

/// <summary>
/// Server time of every dashboard page and API read with a million Succeeded jobs in history, read from the
/// <c>Server-Timing</c> header of a real JobServer process (so it excludes the network and the client).
/// </summary>
internal sealed class ReadPathBenchmark(BenchDatabase database, int jobs, int requests)
{
    public async Task<IReadOnlyList<(string Path, double Median, double P95, double Max)>> RunAsync()
    {
        HistorySeeder.Seed(database, jobs);
        long someId, oldId;
        using (var connection = database.Open())
        {
            someId = connection.ExecuteScalar<long>("SELECT MAX(id) FROM js_job WHERE state = 'Succeeded'");
            oldId = connection.ExecuteScalar<long>("SELECT MIN(id) FROM js_job WHERE state = 'Succeeded'") + 1000;
        }

        using var server = WebServerProcess.Start(database.ConnectionString, port: 5099);
        using var http = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:5099") };
        await server.WaitUntilHealthyAsync(http);

        string[] paths =
        [
            "/api/stats", "/api/jobs?state=Succeeded&pageSize=50", $"/api/jobs/{someId}", "/api/servers",
            "/dashboard", "/dashboard/jobs/succeeded", $"/dashboard/jobs/succeeded?before={oldId}",
            "/dashboard/jobs/succeeded?queue=default&type=sleep", "/dashboard/jobs/failed", $"/dashboard/jobs/{someId}",
            "/dashboard/recurring", "/dashboard/servers", "/dashboard/queues", "/dashboard/api/stats", "/dashboard/api/history",
        ];
        var results = new List<(string, double, double, double)>();
        foreach (var path in paths)
        {
            var times = new List<double>();
            for (var i = -3; i < requests; i++)
            {
                using var response = await http.GetAsync(path);
                if (!response.IsSuccessStatusCode)
                {
                    Console.WriteLine($"{path}: HTTP {(int)response.StatusCode}; skipped");
                    break;
                }

                if (i >= 0)
                {
                    times.Add(ServerMilliseconds(response));
                }
            }

            if (times.Count > 0)
            {
                times.Sort();
                results.Add((path, times[times.Count / 2], times[(int)Math.Ceiling(times.Count * 0.95) - 1], times[^1]));
            }
        }

        return results;
    }

    public static void Print(IReadOnlyList<(string Path, double Median, double P95, double Max)> results, int jobs)
    {
        Console.WriteLine();
        Console.WriteLine($"Read paths with {jobs:N0} Succeeded jobs in history (server time from Server-Timing, ms)");
        Console.WriteLine($"| {"path",-44} | {"median",7} | {"p95",7} | {"max",7} |");
        Console.WriteLine($"|{new string('-', 46)}|{new string('-', 9)}|{new string('-', 9)}|{new string('-', 9)}|");
        foreach (var (path, median, p95, max) in results)
        {
            Console.WriteLine($"| {path,-44} | {median,7:N1} | {p95,7:N1} | {max,7:N1} |");
        }
    }

    private static double ServerMilliseconds(HttpResponseMessage response)
    {
        var header = response.Headers.TryGetValues("Server-Timing", out var values) ? values.First() : "";
        var dur = header.Split(';').FirstOrDefault(p => p.StartsWith("dur=", StringComparison.Ordinal));
        return dur is null ? double.NaN : double.Parse(dur[4..], CultureInfo.InvariantCulture);
    }
}
