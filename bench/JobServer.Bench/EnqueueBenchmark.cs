using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Dapper;
using JobServer.Engine.Client;
using JobServer.Jobs.Builtin;

namespace JobServer.Bench;

/// <summary>
/// Enqueue rate: the C# client one-by-one (1 and 8 threads) and in batches, and HTTP one-by-one (8 concurrent
/// clients) and through <c>POST /api/jobs/batch</c>. Jobs go to a queue no server works and nothing processes jobs,
/// so only the enqueue path is measured. Each run starts from empty tables and checks that every job sent was written.
/// </summary>
internal sealed class EnqueueBenchmark(BenchDatabase database, int jobs, int repeats)
{
    /// <summary>No server is configured for this queue, so enqueued jobs stay put.</summary>
    private const string Queue = "bench-parked";
    private const int Concurrency = 8;
    private const int ClientBatchSize = 1_000;
    private const int HttpBatchSize = 10_000;
    private const int HttpBatchesPerRun = 4;
    private const int Port = 5120;

    private static readonly string JobJson = $$"""{"type":"{{SleepJob.TypeName}}","args":{"ms":0},"queue":"{{Queue}}"}""";

    /// <summary>Per-request latencies of the HTTP one-by-one case, measured runs only (the warm-up's are cleared).</summary>
    private readonly ConcurrentQueue<double> _latenciesMs = new();

    /// <summary>The raw commit rate every case is compared with.</summary>
    private BenchResult? _raw;

    public async Task<IReadOnlyList<BenchResult>> RunAsync()
    {
        // What one commit per job would allow with as many writers as the concurrent cases have.
        _raw = RawCommitBaseline.Measure(database, Concurrency, jobs, repeats);
        var results = new List<BenchResult> { _raw };
        await using (var server = await BenchServer.StartAsync(database.ConnectionString, new Dictionary<string, string?> { ["JobServer:ProcessJobs"] = "false" }, start: false))
        {
            var client = server.Client;
            results.Add(await MeasureAsync("enqueue, C# client one-by-one, 1 thread", jobs, () =>
            {
                for (var i = 0; i < jobs; i++)
                {
                    client.Enqueue(SleepJob.TypeName, new SleepArgs(), Queue);
                }

                return Task.CompletedTask;
            }));

            // The client is thread-safe and synchronous (so is the MySQL driver): one thread per concurrent caller.
            results.Add(await MeasureAsync($"enqueue, C# client one-by-one, {Concurrency} threads", jobs, () => Concurrently(jobs, _ =>
            {
                client.Enqueue(SleepJob.TypeName, new SleepArgs(), Queue);
                return Task.CompletedTask;
            }, Task.Run)));

            var batch = Enumerable.Repeat(new JobRequest(SleepJob.TypeName, """{"ms":0}""", Queue), ClientBatchSize).ToList();
            results.Add(await MeasureAsync($"enqueue, C# client CreateMany, batches of {ClientBatchSize:N0}", jobs * 4, () =>
            {
                for (var sent = 0; sent < jobs * 4; sent += ClientBatchSize)
                {
                    client.CreateMany(batch[..Math.Min(ClientBatchSize, jobs * 4 - sent)]);
                }

                return Task.CompletedTask;
            }));
        }

        using var web = WebServerProcess.Start(database.ConnectionString, Port, "bench-enqueue-web", new Dictionary<string, string> { ["JobServer__ProcessJobs"] = "false" });
        // One client whose pool holds 8 connections: 8 concurrent callers, each with a kept-alive connection.
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Concurrency }) { BaseAddress = new Uri($"http://127.0.0.1:{Port}") };
        await web.WaitUntilHealthyAsync(http);

        // Bodies are encoded once: the client's own serialization is not what is measured.
        var single = Encoding.UTF8.GetBytes(JobJson);
        results.Add(await MeasureAsync($"enqueue, HTTP POST /api/jobs one-by-one, {Concurrency} clients", jobs, async () =>
        {
            var errors = 0;
            await Concurrently(jobs, async _ =>
            {
                var started = Stopwatch.GetTimestamp();
                if (!await PostAsync(http, "/api/jobs", single))
                {
                    Interlocked.Increment(ref errors);
                }

                _latenciesMs.Enqueue(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }, work => work());
            Check(errors, jobs);
        }));
        PrintLatencies();

        var many = Encoding.UTF8.GetBytes($$"""{"jobs":[{{string.Join(',', Enumerable.Repeat(JobJson, HttpBatchSize))}}]}""");
        results.Add(await MeasureAsync($"enqueue, HTTP POST /api/jobs/batch, {HttpBatchSize:N0} jobs per request", HttpBatchSize * HttpBatchesPerRun, async () =>
        {
            var errors = 0;
            for (var i = 0; i < HttpBatchesPerRun; i++)
            {
                errors += await PostAsync(http, "/api/jobs/batch", many) ? 0 : 1;
            }

            Check(errors, HttpBatchesPerRun);
        }));
        return results;
    }

    /// <summary>Median rate of <paramref name="enqueue"/> over the repeats, after one warm-up run (JIT, pools, server start).</summary>
    private async Task<BenchResult> MeasureAsync(string name, int count, Func<Task> enqueue)
    {
        var rates = new List<double>();
        for (var run = -1; run < repeats; run++)
        {
            database.EmptyJobs();
            var stopwatch = Stopwatch.StartNew();
            await enqueue();
            var seconds = stopwatch.Elapsed.TotalSeconds;
            VerifyWritten(name, count);
            if (run < 0)
            {
                _latenciesMs.Clear();
                continue;
            }

            rates.Add(count / seconds);
        }

        rates.Sort();
        return new BenchResult(name, "jobs/s", rates[rates.Count / 2]) { Baseline = _raw };
    }

    /// <summary>Runs <paramref name="one"/> <paramref name="count"/> times split over <see cref="Concurrency"/> callers.</summary>
    private static Task Concurrently(int count, Func<int, Task> one, Func<Func<Task>, Task> start)
    {
        var next = -1;
        return Task.WhenAll(Enumerable.Range(0, Concurrency).Select(_ => start(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                await one(i);
            }
        })));
    }

    /// <summary>True when the server answered 202 Accepted; anything else (status or transport error) is logged once per kind.</summary>
    private static async Task<bool> PostAsync(HttpClient http, string path, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        try
        {
            using var response = await http.PostAsync(path, content);
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                return true;
            }

            Console.Error.WriteLine($"  {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        catch (HttpRequestException ex)
        {
            Console.Error.WriteLine($"  {path}: {ex.Message}");
        }

        return false;
    }

    private static void Check(int errors, int requests)
    {
        if (errors > 0)
        {
            throw new InvalidOperationException($"{errors} of {requests:N0} enqueue requests were not answered 202.");
        }
    }

    /// <summary>Every job acknowledged is a durable row: no more, no fewer.</summary>
    private void VerifyWritten(string name, int expected)
    {
        using var connection = database.Open();
        var rows = connection.ExecuteScalar<long>("SELECT COUNT(*) FROM js_job WHERE queue = @Queue", new { Queue });
        var total = connection.ExecuteScalar<long>("SELECT COUNT(*) FROM js_job");
        if (rows != expected || total != expected)
        {
            throw new InvalidOperationException($"{name}: sent {expected:N0} jobs but js_job holds {total:N0} ({rows:N0} on {Queue}).");
        }
    }

    private void PrintLatencies()
    {
        var sorted = _latenciesMs.Order().ToList();
        double P(double q) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(sorted.Count * q) - 1)];
        Console.WriteLine($"  enqueue latency, HTTP one-by-one, {Concurrency} clients, {sorted.Count:N0} requests: p50 {P(0.50):N2} ms, p99 {P(0.99):N2} ms, max {sorted[^1]:N2} ms");
    }
}
