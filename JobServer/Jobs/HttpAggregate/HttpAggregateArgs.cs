using System.ComponentModel.DataAnnotations;

namespace JobServer.Jobs.HttpAggregate;

/// <summary>Arguments of <see cref="HttpAggregateJob"/>: which URLs to GET, how many at once, and how long each may take.</summary>
public sealed class HttpAggregateArgs : IValidatableObject
{
    /// <summary>Longest URL accepted, the de-facto limit of browsers and most servers.</summary>
    public const int MaxUrlLength = 2_048;

    /// <summary>The URLs to GET, 1 to 100, each an absolute http or https URL. Results keep this order.</summary>
    [Length(1, 100, ErrorMessage = "must list 1 to 100 URLs")]
    public IReadOnlyList<string> Urls { get; init; } = [];

    /// <summary>Requests in flight at once, 1 to 32. Default 8.</summary>
    [Range(1, 32, ErrorMessage = "must be between 1 and 32")]
    public int MaxParallelism { get; init; } = 8;

    /// <summary>Time allowed for each request, headers and body, 100 to 60,000 ms. Default 5,000.</summary>
    [Range(100, 60_000, ErrorMessage = "must be between 100 and 60000 (milliseconds)")]
    public int TimeoutMs { get; init; } = 5_000;

    /// <summary>Runs only once the attributes pass (so <see cref="Urls"/> has 1-100 entries). The member name carries the
    /// index, which <see cref="JobArguments"/> reports as the field, e.g. <c>args.urls[2]</c>.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < Urls.Count; i++)
        {
            if (!IsHttpUrl(Urls[i]))
            {
                yield return new ValidationResult(
                    $"must be an absolute http or https URL of at most {MaxUrlLength} characters",
                    [$"{nameof(Urls)}[{i}]"]);
            }
        }
    }

    private static bool IsHttpUrl(string? url) =>
        url is { Length: > 0 and <= MaxUrlLength }
        && Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && uri.Host.Length > 0;
}
