using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace JobServer.Api;

/// <summary>
/// Reads a request body as a JSON document with a size limit, so every way a body can be wrong gets its own clear
/// 4xx instead of a binder's generic failure: wrong media type 415, too large 413, not JSON 400 naming the position.
/// </summary>
internal static class JsonBody
{
    public const int DefaultMaxBytes = 1024 * 1024;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    public static async Task<(JsonDocument? Document, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request, int maxBytes = DefaultMaxBytes)
    {
        if (!request.HasJsonContentType())
        {
            return (null, ApiProblems.Status(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type.", "Send the body as application/json."));
        }

        if (request.ContentLength > maxBytes)
        {
            return (null, TooLarge(maxBytes));
        }

        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return (null, TooLarge(maxBytes));
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            return (null, ApiProblems.InvalidField("body", "is empty; send a JSON object"));
        }

        try
        {
            return (JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), DocumentOptions), null);
        }
        catch (JsonException ex)
        {
            return (null, ApiProblems.InvalidField("body", $"is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1})"));
        }
    }

    private static ProblemHttpResult TooLarge(int maxBytes) =>
        ApiProblems.Status(StatusCodes.Status413PayloadTooLarge, "Request body too large.", $"The body may be at most {maxBytes:N0} bytes.");
}
