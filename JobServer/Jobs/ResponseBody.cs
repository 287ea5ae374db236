using System.Text;
using System.Text.Json;

namespace JobServer.Jobs;

/// <summary>Reads a bounded prefix of a response body and shapes it for the result: parsed JSON, or truncated text.</summary>
internal static class ResponseBody
{
    /// <summary>Text bodies (and JSON that is too large or malformed) are cut to this many characters.</summary>
    public const int MaxTextChars = 2_000;

    /// <summary>Larger JSON bodies are kept as truncated text: 100 URLs of this size still fit the result column
    /// (MEDIUMTEXT, 16 MB), and one huge response cannot balloon the job's memory.</summary>
    public const int MaxJsonBytes = 64 * 1024;

    // Enough bytes for MaxTextChars characters even when every one takes four bytes in UTF-8.
    private const int MaxTextBytes = MaxTextChars * 4;

    /// <returns>The body (a <see cref="JsonElement"/>, a string, or null when empty) and an error when the response
    /// claimed JSON that does not parse.</returns>
    public static async Task<(object? Body, string? Error)> ReadAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var isJson = IsJson(content.Headers.ContentType?.MediaType);
        var (bytes, complete) = await ReadPrefixAsync(content, isJson ? MaxJsonBytes : MaxTextBytes, cancellationToken).ConfigureAwait(false);
        if (bytes.Length == 0)
        {
            return (null, null);
        }

        if (isJson && complete)
        {
            try
            {
                using var document = JsonDocument.Parse(bytes);
                return (document.RootElement.Clone(), null);
            }
            catch (JsonException ex)
            {
                return (Text(bytes), $"the response is declared JSON but does not parse: {ex.Message}");
            }
        }

        return (Text(bytes), null);
    }

    private static bool IsJson(string? mediaType) =>
        mediaType is not null
        && (mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    /// <summary>Reads at most <paramref name="limit"/> bytes; <c>complete</c> is false when the body goes on. The rest
    /// is never downloaded: disposing the response drops the connection.</summary>
    private static async Task<(ReadOnlyMemory<byte> Bytes, bool Complete)> ReadPrefixAsync(HttpContent content, int limit, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new byte[limit + 1];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return (buffer.AsMemory(0, length), true);
            }

            length += read;
        }

        return (buffer.AsMemory(0, limit), false);
    }

    // Decoded as UTF-8 (JSON's only encoding, and the common one for text); invalid bytes become U+FFFD rather than errors.
    private static string Text(ReadOnlyMemory<byte> bytes)
    {
        var text = Encoding.UTF8.GetString(bytes.Span);
        return text.Length <= MaxTextChars ? text : text[..MaxTextChars];
    }
}
