using System.Globalization;

namespace JobServer.Jobs;

/// <summary>Arguments of <see cref="HttpAggregateJob"/>: which URLs to GET, how many at once, how long each may take.</summary>
public sealed class HttpAggregateArguments : IJobArguments
{
    public const int MaxUrls = 100;

    /// <summary>Longest URL accepted, the de-facto limit of browsers and most servers.</summary>
    public const int MaxUrlLength = 2_048;

    /// <summary>The URLs to GET, 1 to 100, each an absolute http or https URL. Results keep this order.</summary>
    public IReadOnlyList<string> Urls { get; init; } = Array.Empty<string>();

    /// <summary>Requests in flight at once, 1 to 32. Default 8.</summary>
    public int MaxParallelism { get; init; } = 8;

    /// <summary>Time allowed for each request, headers and body, 100 to 60,000 ms. Default 5,000.</summary>
    public int TimeoutMs { get; init; } = 5_000;

    public IReadOnlyList<ArgumentError> Validate()
    {
        var errors = new List<ArgumentError>();
        var urls = Urls ?? Array.Empty<string>();
        if (urls.Count is < 1 or > MaxUrls)
        {
            errors.Add(new ArgumentError("urls", $"must list 1 to {MaxUrls} URLs"));
        }
        else
        {
            for (var i = 0; i < urls.Count; i++)
            {
                if (!IsHttpUrl(urls[i]))
                {
                    errors.Add(new ArgumentError(string.Create(CultureInfo.InvariantCulture, $"urls[{i}]"),
                        $"must be an absolute http or https URL of at most {MaxUrlLength} characters"));
                }
            }
        }

        ArgumentChecks.Range(errors, "maxParallelism", MaxParallelism, 1, 32);
        ArgumentChecks.Range(errors, "timeoutMs", TimeoutMs, 100, 60_000);
        return errors;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Urls?.Count ?? 0} URLs, {MaxParallelism} at once");

    private static bool IsHttpUrl(string? url) =>
        url is { Length: > 0 and <= MaxUrlLength }
        && Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && uri.Host.Length > 0;
}
