using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using JobServer.Tests.Infrastructure;
using Xunit.Abstractions;

namespace JobServer.Tests.Fuzz;

/// <summary>
/// Sends generated requests one at a time and collects every finding instead of stopping at the first: a wrong
/// status, a 5xx, no answer within <see cref="RequestTimeout"/>, an API error that is no problem document naming a
/// field at fault, a refused request that changed the database, a server that stopped answering. Requests that
/// must write nothing are checked in windows (one fingerprint per window); a request that may write gets a window of
/// its own. At the end a valid job is created and read back: the server still works.
/// </summary>
internal sealed class FuzzRunner(HttpClient client, TestDatabase database, ITestOutputHelper output, string test)
{
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    private const int WindowSize = 40;

    private static readonly string[] FormFields = ["rows", "project", "chunkSize"];

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
        await AssertStillWorksAsync();
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
            else if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.SeeOther)
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
        var matches = fuzzCase.Expected switch
        {
            Outcome.Refused => status is >= 400 and < 500,
            Outcome.Conflict => status == 409,
            Outcome.Accepted or Outcome.Read or Outcome.NoEffect => status is >= 200 and < 300,
            Outcome.Either => status is >= 200 and < 300 or 303 or >= 400 and < 500,
            Outcome.Harmless => status is >= 200 and < 300 or >= 400 and < 500,
            Outcome.Started => status == 303,
            _ => status == 422,
        };
        if (!matches)
        {
            return $"expected {fuzzCase.Expected}";
        }

        var isApi = fuzzCase.Url.StartsWith("/api/", StringComparison.Ordinal);
        if (isApi && status >= 400)
        {
            return ProblemFault(fuzzCase, response, body);
        }

        if (fuzzCase.Expected == Outcome.Started)
        {
            var location = response.Headers.Location?.OriginalString ?? "";
            if (!IsInsideDashboard(location))
            {
                return $"a redirect out of the dashboard, to {location}";
            }
        }

        if (fuzzCase.Expected == Outcome.FieldErrors)
        {
            // A field whose value is no number stops the reading there: the page may flag only that one of several faults.
            var flagged = FormFields.Where(f => body.Contains($"data-field=\"{f}\"", StringComparison.Ordinal)).ToList();
            if (flagged.Count == 0)
            {
                return $"the page shows no field error (faults at {string.Join(", ", fuzzCase.Faults)})";
            }

            if (flagged.Except(fuzzCase.Faults).ToList() is { Count: > 0 } wrong)
            {
                return $"the page shows an error at {string.Join(", ", wrong)}, where no fault was put (faults at {string.Join(", ", fuzzCase.Faults)})";
            }
        }

        return null;
    }

    /// <summary>An API error must be a problem document; a 400 names the field at fault in <c>errors</c> and
    /// <c>detail</c>, and when the generator knows where it put the fault, a field related to it.</summary>
    private static string? ProblemFault(FuzzCase fuzzCase, HttpResponseMessage response, string body)
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return "an API error that is not application/problem+json";
        }

        if (response.StatusCode != HttpStatusCode.BadRequest)
        {
            return null;
        }

        using var problem = JsonDocument.Parse(body);
        if (!problem.RootElement.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.Object
            || !errors.EnumerateObject().Any()
            || !problem.RootElement.TryGetProperty("detail", out var detail) || detail.GetString() is not { Length: > 0 } detailText)
        {
            return "a 400 whose problem names no field (no errors, no detail)";
        }

        var named = errors.EnumerateObject().Select(e => e.Name).ToList();
        if (!named.Any(f => detailText.Contains(f, StringComparison.Ordinal)))
        {
            return "a 400 whose detail names none of its errors' fields";
        }

        if (fuzzCase.Faults.Count > 0 && !named.Any(f => fuzzCase.Faults.Any(p => Related(f, p))))
        {
            return $"a 400 naming {string.Join(", ", named)}, not where the fault was put ({string.Join(", ", fuzzCase.Faults)})";
        }

        return null;
    }

    /// <summary>The server may name the field itself, the object holding it (a key that is no Unicode names its object),
    /// a field inside it (args removed: "args.n is required"), or the whole body.</summary>
    private static bool Related(string named, string fault) =>
        named == fault || named == "body"
        || named.StartsWith(fault + ".", StringComparison.Ordinal) || named.StartsWith(fault + "[", StringComparison.Ordinal)
        || fault.StartsWith(named + ".", StringComparison.Ordinal) || fault.StartsWith(named + "[", StringComparison.Ordinal);

    /// <summary>Where a browser lands from <paramref name="location"/> is under /hangfire: a path of our own (no
    /// scheme, no "//"), and no "." or ".." segment, which a browser resolves even when percent-encoded.</summary>
    private static bool IsInsideDashboard(string location)
    {
        var path = location.Split('?')[0];
        return (path == FuzzFixture.Dashboard || path.StartsWith(FuzzFixture.Dashboard + "/", StringComparison.Ordinal))
            && !location.Contains("//", StringComparison.Ordinal)
            && !path.Split('/').Select(Uri.UnescapeDataString).Any(s => s is "." or "..");
    }

    /// <summary>What an accepted request created must be readable: through the API and on Hangfire's job page.</summary>
    private async Task CheckReadableAsync(FuzzCase fuzzCase, HttpResponseMessage response, string body, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        if (response.Headers.Location?.OriginalString is { } location)
        {
            if (location.StartsWith("/api/jobs/", StringComparison.Ordinal))
            {
                ids.Add(location["/api/jobs/".Length..]);
            }
            else if (location.Contains("?started=", StringComparison.Ordinal))
            {
                ids.Add(location[(location.IndexOf("?started=", StringComparison.Ordinal) + "?started=".Length)..]);
            }
        }

        if (fuzzCase.Url == "/api/jobs/batch" && response.StatusCode == HttpStatusCode.Accepted)
        {
            using var created = JsonDocument.Parse(body);
            ids.Add($"{created.RootElement.GetProperty("ids")[0].GetInt64()}");
        }

        foreach (var url in ids.SelectMany(id => (string[])[$"/api/jobs/{id}", $"{FuzzFixture.Dashboard}/jobs/details/{id}"]))
        {
            using var read = await client.GetAsync(url, cancellationToken);
            if (read.StatusCode != HttpStatusCode.OK)
            {
                Find(fuzzCase, $"was accepted, but GET {url} answered {(int)read.StatusCode} {BodyModel.Excerpt(await read.Content.ReadAsStringAsync(cancellationToken), 300)}");
            }
        }
    }

    /// <summary>Ends a window of requests that write nothing: the server still answers, and the database is as it was.</summary>
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
            _findings.Add($"- one of {_window.Count} requests that must write nothing changed {string.Join(", ", changed)}:\n  " + string.Join("\n  ", _window));
        }

        _baseline = after;
        _window.Clear();
    }

    /// <summary>After everything generated: a valid job is still created (202) and read back (200).</summary>
    private async Task AssertStillWorksAsync()
    {
        using var create = await client.PostAsJsonAsync("/api/jobs", new { type = "sleep", queue = FuzzFixture.IdleQueue });
        Assert.True(create.StatusCode == HttpStatusCode.Accepted, $"{test}: a valid job after the generated requests: {(int)create.StatusCode} {await create.Content.ReadAsStringAsync()}; {FuzzSeed.Replay}");
        using var read = await client.GetAsync(create.Headers.Location);
        Assert.True(read.StatusCode == HttpStatusCode.OK, $"{test}: reading the valid job back: {(int)read.StatusCode}; {FuzzSeed.Replay}");
    }

    private void Find(FuzzCase fuzzCase, string what) => _findings.Add($"- {fuzzCase}: {what}");
}
