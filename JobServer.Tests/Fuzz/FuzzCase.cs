using System.Net.Http.Headers;
using System.Text;

namespace JobServer.Tests.Fuzz;

/// <summary>What a generated request must get.</summary>
internal enum Outcome
{
    /// <summary>A 4xx, and nothing written.</summary>
    Refused,

    /// <summary>A 409: the concurrency key is held. Nothing written.</summary>
    Conflict,

    /// <summary>A 2xx: the input is valid, however odd.</summary>
    Accepted,

    /// <summary>A 2xx from a request that changes nothing (a read with odd but valid parameters).</summary>
    Read,

    /// <summary>A 2xx or a 4xx: the oracle cannot call it. Never a 5xx; a 4xx writes nothing.</summary>
    Either,

    /// <summary>A dashboard action refused by the page itself: 303 back inside the dashboard with an error message, nothing written.</summary>
    RedirectedWithError,
}

/// <summary>One generated request, with what it must get and a label that says what was done to it.</summary>
internal sealed record FuzzCase(string Label, HttpMethod Method, string Url, Outcome Expected)
{
    public byte[]? Body { get; init; }

    public string? ContentType { get; init; } = "application/json";

    /// <summary>Sent without Content-Length, so the server must count while it reads.</summary>
    public bool UnknownLength { get; init; }

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    public bool MayWrite => Expected is Outcome.Accepted or Outcome.Either;

    public static FuzzCase Json(string label, HttpMethod method, string url, string json, Outcome expected) =>
        new(label, method, url, expected) { Body = Encoding.UTF8.GetBytes(json) };

    public HttpRequestMessage ToRequest()
    {
        var request = new HttpRequestMessage(Method, Url);
        if (Body is not null)
        {
            request.Content = UnknownLength ? new StreamContent(new UnseekableStream(Body)) : new ByteArrayContent(Body);
            if (ContentType is not null)
            {
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(ContentType);
            }
        }

        foreach (var (name, value) in Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    public override string ToString()
    {
        var body = Body is null ? "" : " " + BodyModel.Excerpt(Encoding.UTF8.GetString(Body), 300);
        return $"[{Label}] {Method} {BodyModel.Excerpt(Url, 200)}{body} (expected {Expected})";
    }

    private sealed class UnseekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
