using System.Net.Http.Headers;

namespace JobServer.Jobs.HttpAggregate;

/// <summary>
/// GETs a list of URLs concurrently, at most <c>maxParallelism</c> in flight and each bounded by <c>timeoutMs</c>, and
/// stores one entry per URL as the job's result: the mission's "ten 1-second calls in about 1 s, not 10 s".
/// <para>
/// A failing URL (an error status, a refused connection, a timeout) is reported in its own entry and the job still
/// succeeds: the aggregate is the product, and failing the job would make a retry repeat every call that worked to
/// redo the one that did not. Only cancelling the job (deletion, shutdown) stops it. There are no HTTP retries; the
/// entries tell the caller what to retry. GETs are taken to be safe to repeat: a job whose server dies runs again.
/// </para>
/// <para>
/// It fetches whatever it is given from the server's network, internal addresses included: whoever may enqueue jobs
/// may make the server send GETs, so keep job creation behind authorization.
/// </para>
/// </summary>
public sealed class HttpAggregateJob(IHttpClientFactory clients, TimeProvider time) : IJob<HttpAggregateArgs>
{
    public const string TypeName = "http-aggregate";

    /// <summary>The named <see cref="HttpClient"/> this job uses, configured by <see cref="ConfigureClient"/>.</summary>
    public const string HttpClientName = "JobServer.HttpAggregate";

    /// <summary>No client-wide timeout: each call gets its own, from the job's arguments.</summary>
    public static void ConfigureClient(HttpClient client)
    {
        client.Timeout = Timeout.InfiniteTimeSpan;
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("*/*", 0.8));
        client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("JobServer", "1.0"));
    }

    public async Task ExecuteAsync(HttpAggregateArgs args, JobContext context)
    {
        var started = time.GetTimestamp();
        var client = clients.CreateClient(HttpClientName);
        var timeout = TimeSpan.FromMilliseconds(args.TimeoutMs);
        var results = new UrlResult[args.Urls.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = args.MaxParallelism, CancellationToken = context.CancellationToken };

        await Parallel.ForEachAsync(Enumerable.Range(0, args.Urls.Count), parallel, async (i, cancellationToken) =>
            results[i] = await FetchAsync(client, args.Urls[i], timeout, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);

        context.Result = new HttpAggregateResult(ElapsedMs(started), results.Count(r => r.Error is not null), results);
    }

    /// <param name="jobToken">The job's token: its cancellation propagates; only this call's own timeout is caught.</param>
    private async Task<UrlResult> FetchAsync(HttpClient client, string url, TimeSpan timeout, CancellationToken jobToken)
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
            return new UrlResult(url, status, ElapsedMs(started), body, error);
        }
        catch (OperationCanceledException) when (timeoutSource.IsCancellationRequested && !jobToken.IsCancellationRequested)
        {
            return new UrlResult(url, status, ElapsedMs(started), null, $"timed out after {timeout.TotalMilliseconds:0} ms");
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            return new UrlResult(url, status, ElapsedMs(started), null, ex.Message);
        }
    }

    private long ElapsedMs(long startedTimestamp) => (long)time.GetElapsedTime(startedTimestamp).TotalMilliseconds;
}
