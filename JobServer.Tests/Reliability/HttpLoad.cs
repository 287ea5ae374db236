using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace JobServer.Tests.Reliability;

/// <summary>
/// Concurrent HTTP clients over loopback, each sending one request after the other and recording every
/// <see cref="Answer"/>. Nothing is retried: a request that fails is recorded as failed.
/// </summary>
internal static class HttpLoad
{
    /// <summary>A request answered later than this counts as a hang.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>An HTTP handler allowing <paramref name="clients"/> concurrent kept-alive connections.</summary>
    public static SocketsHttpHandler Handler(int clients) => new() { MaxConnectionsPerServer = clients };

    /// <param name="more">Given how many requests this client sent, whether it sends another.</param>
    /// <param name="pause">Time between one client's requests (zero: back to back).</param>
    public static async Task<IReadOnlyList<Answer>> RunAsync(
        HttpClient http, int clients, Func<HttpRequestMessage> request, Func<int, bool> more, TimeSpan pause = default)
    {
        var answers = new ConcurrentQueue<Answer>();
        // Task.Run: the clients' continuations run on the thread pool, not on the test framework's few threads,
        // which the test may block (stopping the database is a synchronous call).
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            for (var sent = 0; more(sent); sent++)
            {
                answers.Enqueue(await SendAsync(http, request()));
                if (pause > TimeSpan.Zero)
                {
                    await Task.Delay(pause);
                }
            }
        })));
        return answers.ToList();
    }

    /// <summary>A <c>POST /api/jobs</c> creating a <c>sleep</c> job of <paramref name="ms"/> milliseconds.</summary>
    public static HttpRequestMessage EnqueueSleep(int ms) =>
        new(HttpMethod.Post, "/api/jobs") { Content = JsonContent.Create(new { type = "sleep", args = new { ms } }) };

    public static HttpRequestMessage Health() => new(HttpMethod.Get, "/health");

    /// <summary>The <paramref name="q"/> quantile of sorted values (nearest rank).</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double q) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(sorted.Count * q) - 1, 0, sorted.Count - 1)];

    private static async Task<Answer> SendAsync(HttpClient http, HttpRequestMessage request)
    {
        var sentAt = DateTime.UtcNow;
        using var timeout = new CancellationTokenSource(RequestTimeout);
        try
        {
            using var response = await http.SendAsync(request, timeout.Token);
            string? id = null;
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                var body = await response.Content.ReadFromJsonAsync<JsonElement>(timeout.Token);
                // Hangfire's ids are strings; the API may show them as JSON strings or numbers.
                id = body.GetProperty("id") is { ValueKind: JsonValueKind.String } text ? text.GetString() : body.GetProperty("id").GetRawText();
            }

            return new Answer(sentAt, DateTime.UtcNow, response.StatusCode, id, response.Headers.RetryAfter is not null, null);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or JsonException or KeyNotFoundException)
        {
            return new Answer(sentAt, DateTime.UtcNow, null, null, false, ex.GetType().Name + ": " + ex.Message);
        }
        finally
        {
            request.Dispose();
        }
    }
}
