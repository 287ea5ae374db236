namespace JobServer.Jobs.HttpAggregate;

/// <summary>What one URL of an <see cref="HttpAggregateJob"/> gave.</summary>
/// <param name="Url">The URL as submitted.</param>
/// <param name="Status">The HTTP status code, or null when no response arrived (timeout, refused connection, DNS).</param>
/// <param name="Ms">Time from sending the request to having read the body (or giving up).</param>
/// <param name="Body">The parsed JSON when the response is JSON, otherwise its text cut to
/// <see cref="ResponseBody.MaxTextChars"/> characters; null when there was no response.</param>
/// <param name="Error">Null on a 2xx response; otherwise why this URL failed.</param>
public sealed record UrlResult(string Url, int? Status, long Ms, object? Body, string? Error);
