using System.Diagnostics;
using System.Net;
using System.Text.Json;
using JobServer.Tests.Infrastructure;
using Xunit.Abstractions;

namespace JobServer.Tests.Fuzz;

/// <summary>
/// Sends generated requests one at a time and collects every finding instead of stopping at the first: a wrong
/// status, a 5xx, no answer within <see cref="RequestTimeout"/>, a refused request that changed the database, a
/// server that stopped answering. Refused requests are checked in windows (one fingerprint per window); a request
/// that may write gets a window of its own.
/// </summary>
internal sealed class FuzzRunner(HttpClient client, TestDatabase database, ITestOutputHelper output, string test)
{
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    private const int WindowSize = 40;

    private readonly DatabaseFingerprint _fingerprint = new(database);
    private readonly List<string> _findings = [];
    private readonly List<FuzzCase> _window = [];
    private IReadOnlyDictionary<string, string> _baseline = new Dictionary<string, string>();
    private int _sent;
    private (TimeSpan Time, string Case) _slowest;

    public async Task RunAsync(IEnumerable<FuzzCase> cases)
    {
        var clock = Stopwatch.StartNew();
        var counts = new Dictionary<Outcome, int>();
        _baseline = _fingerprint.Take();
        foreach (var fuzzCase in cases)
        {
            counts[fuzzCase.Expected] = counts.GetValueOrDefault(fuzzCase.Expected) + 1;
            if (fuzzCase.MayWrite)
            {
                await CloseWindowAsync();
                var refused = await SendAsync(fuzzCase) is >= 400 and < 500;
                var after = _fingerprint.Take();
                if (refused && DatabaseFingerprint.Changed(_baseline, after) is { Count: > 0 } changed)
                {
                    Find(fuzzCase, $"was refused but changed {string.Join(", ", changed)}");
                }

                _baseline = after;
                continue;
            }

            await SendAsync(fuzzCase);
            _window.Add(fuzzCase);
            if (_window.Count == WindowSize)
            {
                await CloseWindowAsync();
            }
        }

        await CloseWindowAsync();
        output.WriteLine($"{test}: {_sent} requests ({string.Join(", ", counts.Select(c => $"{c.Value} {c.Key}"))}) in {clock.Elapsed.TotalSeconds:0.0} s, {FuzzSeed.Replay}");
        output.WriteLine($"slowest: {_slowest.Time.TotalMilliseconds:0} ms {BodyModel.Excerpt(_slowest.Case, 300)}");
    }

    public void AssertNoFindings() =>
        Assert.True(
            _findings.Count == 0,
            $"{test}: {_findings.Count} finding(s) in {_sent} generated requests, {FuzzSeed.Replay}:\n" + string.Join("\n", _findings.Take(15)));

    private async Task<int> SendAsync(FuzzCase fuzzCase)
    {
        _sent++;
        using var timeout = new CancellationTokenSource(RequestTimeout);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var request = fuzzCase.ToRequest();
            using var response = await client.SendAsync(request, timeout.Token);
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            if (Check(fuzzCase, response, body) is { } problem)
            {
                Find(fuzzCase, $"{problem}; got {(int)response.StatusCode} {BodyModel.Excerpt(body, 400)}");
            }
            else if (response.IsSuccessStatusCode)
            {
                await CheckReadableAsync(fuzzCase, response, body, timeout.Token);
            }

            if (Stopwatch.GetElapsedTime(started) is var took && took > _slowest.Time)
            {
                _slowest = (took, fuzzCase.ToString());
            }

            return (int)response.StatusCode;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            Find(fuzzCase, $"no answer within {RequestTimeout.TotalSeconds:0} s");
            return 0;
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or IOException)
        {
            Find(fuzzCase, $"the request failed: {ex.GetType().Name}: {ex.Message}");
            return 0;
        }
    }

    /// <summary>What is wrong with the answer, or null.</summary>
    private static string? Check(FuzzCase fuzzCase, HttpResponseMessage response, string body)
    {
        var status = (int)response.StatusCode;
        var isApi = fuzzCase.Url.StartsWith("/api/", StringComparison.Ordinal);
        var matches = fuzzCase.Expected switch
        {
            Outcome.Refused => status is >= 400 and < 500,
            Outcome.Conflict => status == 409,
            Outcome.Accepted or Outcome.Read => status is >= 200 and < 300,
            Outcome.Either => status is >= 200 and < 300 or >= 400 and < 500,
            _ => status == 303,
        };
        if (!matches)
        {
            return $"expected {fuzzCase.Expected}";
        }

        if (isApi && status >= 400 && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return "an API error that is not application/problem+json";
        }

        if (fuzzCase.Expected == Outcome.RedirectedWithError)
        {
            var location = response.Headers.Location?.OriginalString ?? "";
            if (!IsInsideDashboard(location))
            {
                return $"a redirect out of the dashboard, to {location}";
            }

            if (!response.Headers.TryGetValues("Set-Cookie", out var cookies) || !cookies.Any(c => c.StartsWith("JobServer.Dashboard.Flash=e", StringComparison.Ordinal)))
            {
                return "no error message for the refused action";
            }
        }

        return null;
    }

    /// <summary>Where a browser lands from <paramref name="location"/> is under /dashboard: a path of our own (no
    /// scheme, no "//"), and no "." or ".." segment, which a browser resolves even when percent-encoded.</summary>
    private static bool IsInsideDashboard(string location)
    {
        var path = location.Split('?')[0];
        return (path == "/dashboard" || path.StartsWith("/dashboard/", StringComparison.Ordinal))
            && !location.Contains("//", StringComparison.Ordinal)
            && !path.Split('/').Select(s => Uri.UnescapeDataString(s)).Any(s => s is "." or "..");
    }

    /// <summary>What an accepted request created must be readable: through the API and on its dashboard page.</summary>
    private async Task CheckReadableAsync(FuzzCase fuzzCase, HttpResponseMessage response, string body, CancellationToken cancellationToken)
    {
        var urls = new List<string>();
        if (response.Headers.Location?.OriginalString is { } location && location.StartsWith("/api/", StringComparison.Ordinal))
        {
            urls.Add(location);
        }

        if (fuzzCase.Url == "/api/jobs/batch")
        {
            using var created = JsonDocument.Parse(body);
            urls.Add($"/api/jobs/{created.RootElement.GetProperty("ids")[0].GetInt64()}");
        }

        foreach (var url in urls.ToList().Where(u => u.StartsWith("/api/jobs/", StringComparison.Ordinal)))
        {
            urls.Add("/dashboard" + url["/api".Length..]);
        }

        foreach (var url in urls)
        {
            using var read = await client.GetAsync(url, cancellationToken);
            if (read.StatusCode != HttpStatusCode.OK)
            {
                Find(fuzzCase, $"was accepted, but GET {url} answered {(int)read.StatusCode} {BodyModel.Excerpt(await read.Content.ReadAsStringAsync(cancellationToken), 300)}");
            }
        }
    }

    /// <summary>Ends a window of refused requests: the server still answers, and the database is as it was.</summary>
    private async Task CloseWindowAsync()
    {
        foreach (var url in (string[])["/health", "/api/stats"])
        {
            using var timeout = new CancellationTokenSource(RequestTimeout);
            using var response = await client.GetAsync(url, timeout.Token);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{test}: GET {url} answered {(int)response.StatusCode} after a batch of generated requests, {FuzzSeed.Replay}; the batch:\n{string.Join("\n", _window)}");
        }

        var after = _fingerprint.Take();
        if (DatabaseFingerprint.Changed(_baseline, after) is { Count: > 0 } changed)
        {
            _findings.Add($"- one of {_window.Count} refused requests changed {string.Join(", ", changed)}:\n  " + string.Join("\n  ", _window));
        }

        _baseline = after;
        _window.Clear();
    }

    private void Find(FuzzCase fuzzCase, string what) => _findings.Add($"- {fuzzCase}: {what}");
}
