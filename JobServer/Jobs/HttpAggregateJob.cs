using System.ComponentModel;
using System.Net.Http.Headers;
using System.Text.Json;
using Hangfire;
using Newtonsoft.Json.Linq;

namespace JobServer.Jobs;

/// <summary>
/// GETs a list of URLs concurrently, at most <c>maxParallelism</c> in flight and each bounded by <c>timeoutMs</c>, and
/// returns one entry per URL, which Hangfire keeps in the Succeeded state: "ten 1-second calls in about 1 s, not 10 s".
/// <para>
/// A failing URL (error status, refused connection, timeout) is reported in its entry and the job still succeeds: the
/// aggregate is the product, and failing would make a retry repeat every call that worked. No automatic retries for
/// the same reason; only cancellation (deletion, shutdown) stops it. GETs are taken to be safe to repeat: a job whose
/// server dies runs again.
/// </para>
/// <para>It fetches whatever it is given from the server's network, internal addresses included: keep job creation
/// behind authorization.</para>
/// </summary>
public sealed class HttpAggregateJob(IHttpClientFactory clients, TimeProvider time)
{
    public const string TypeName = "http-aggregate";

    /// <summary>The named <see cref="HttpClient"/> this job uses, configured by <see cref="ConfigureClient"/>. Its own
    /// name, not the old engine's: registering one name twice would add the headers twice.</summary>
    public const string HttpClientName = "JobServer.HangfireJobs.HttpAggregate";

    /// <summary>No client-wide timeout: each call gets its own, from the job's arguments.</summary>
    public static void ConfigureClient(HttpClient client)
    {
        client.Timeout = Timeout.InfiniteTimeSpan;
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("*/*", 0.8));
        client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("JobServer", "1.0"));
    }

    [DisplayName("http-aggregate: {0}")]
    [AutomaticRetry(Attempts = 0)]
    public async Task<HttpAggregateOutcome> Run(HttpAggregateArguments args, CancellationToken cancellationToken)
    {
        InvalidJobArgumentsException.ThrowIfInvalid(args);
        var started = time.GetTimestamp();
        var client = clients.CreateClient(HttpClientName);
        var timeout = TimeSpan.FromMilliseconds(args.TimeoutMs);
        var results = new HttpAggregateEntry[args.Urls.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = args.MaxParallelism, CancellationToken = cancellationToken };

        await Parallel.ForEachAsync(Enumerable.Range(0, args.Urls.Count), parallel, async (i, token) =>
            results[i] = await FetchAsync(client, args.Urls[i], timeout, token).ConfigureAwait(false)).ConfigureAwait(false);

        return new HttpAggregateOutcome(ElapsedMs(started), results.Count(r => r.Error is not null), results);
    }

    /// <param name="jobToken">The job's token: its cancellation propagates; only this call's own timeout is caught.</param>
    private async Task<HttpAggregateEntry> FetchAsync(HttpClient client, string url, TimeSpan timeout, CancellationToken jobToken)
    {
        var started = time.GetTimestamp();
        int? status = null;
        using var timeoutSource = new CancellationTokenSource(timeout, time);
        using var call = CancellationTokenSource.CreateLinkedTokenSource(jobToken, timeoutSource.Token);
        try
        {
            // Headers first, so the timeout covers the body too and the body is read only as far as it is kept.
            using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, call.Token).ConfigureAwait(false);
            status = (int)response.StatusCode;
            var (body, bodyError) = await ResponseBody.ReadAsync(response.Content, call.Token).ConfigureAwait(false);
            var error = response.IsSuccessStatusCode ? bodyError : $"HTTP {status} {response.ReasonPhrase}".TrimEnd();
            return new HttpAggregateEntry(url, status, ElapsedMs(started), ForHangfire(body), error);
        }
        catch (OperationCanceledException) when (timeoutSource.IsCancellationRequested && !jobToken.IsCancellationRequested)
        {
            return new HttpAggregateEntry(url, status, ElapsedMs(started), null, $"timed out after {timeout.TotalMilliseconds:0} ms");
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            return new HttpAggregateEntry(url, status, ElapsedMs(started), null, ex.Message);
        }
    }

    // Hangfire stores results with Json.NET, which would write a System.Text.Json element as its properties
    // ({"ValueKind":…}); a JToken is written as the JSON it holds.
    private static object? ForHangfire(object? body) => body is JsonElement json ? JToken.Parse(json.GetRawText()) : body;

    private long ElapsedMs(long startedTimestamp) => (long)time.GetElapsedTime(startedTimestamp).TotalMilliseconds;
}

/// <summary>The result of an <see cref="HttpAggregateJob"/>, stored in the Succeeded state.</summary>
/// <param name="TotalMs">Wall time of the whole aggregation: about the slowest URL when all run at once.</param>
/// <param name="Failed">How many entries carry an error.</param>
/// <param name="Results">One entry per submitted URL, in submission order.</param>
public sealed record HttpAggregateOutcome(long TotalMs, int Failed, IReadOnlyList<HttpAggregateEntry> Results);

/// <summary>What one URL gave: status (null when no response arrived), time, the body (JSON as JSON, otherwise text
/// cut to 2,000 characters) and, unless it answered 2xx, why it failed.</summary>
public sealed record HttpAggregateEntry(string Url, int? Status, long Ms, object? Body, string? Error);
