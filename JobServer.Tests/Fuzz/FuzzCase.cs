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

    /// <summary>A 2xx that changes nothing: a Hangfire dashboard command on ids that name no job or definition
    /// (Hangfire skips them and answers 204).</summary>
    NoEffect,

    /// <summary>A 2xx or a 4xx, and nothing written either way: input no server should read (a 10 MB form value), which
    /// may be refused or ignored, never a 5xx.</summary>
    Harmless,

    /// <summary>The Bulk inserts form started a job: 303 back to the page, inside the dashboard.</summary>
    Started,

    /// <summary>The Bulk inserts form refused its fields: 422, the page again with an error at each field at fault
    /// (<see cref="FuzzCase.Faults"/>), nothing written.</summary>
    FieldErrors,
}

/// <summary>One generated request, with what it must get and a label that says what was done to it.</summary>
internal sealed record FuzzCase(string Label, HttpMethod Method, string Url, Outcome Expected)
{
    public byte[]? Body { get; init; }

    public string? ContentType { get; init; } = "application/json";

    /// <summary>Sent without Content-Length, so the server must count while it reads.</summary>
    public bool UnknownLength { get; init; }

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>The fields a generated fault is in (<c>args.ms</c>, <c>jobs[2].queue</c>, <c>body</c>): a 400 must name
    /// one of them, a parent of one, or a field inside one. Empty: the oracle does not say (route and query cases name
    /// theirs in <see cref="Label"/>). For <see cref="Outcome.FieldErrors"/>, every field the page must flag.</summary>
    public IReadOnlyList<string> Faults { get; init; } = [];

    public bool MayWrite => Expected is Outcome.Accepted or Outcome.Either or Outcome.Started;

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
