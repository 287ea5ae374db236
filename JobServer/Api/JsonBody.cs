using System.Text.Json;
using System.Text.Unicode;
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

        var bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        if (!Utf8.IsValid(bytes.Span))
        {
            return (null, ApiProblems.InvalidField("body", "is not valid UTF-8"));
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, DocumentOptions);
        }
        catch (JsonException ex)
        {
            return (null, ApiProblems.InvalidField("body", $"is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1})"));
        }

        if (FindFault(document.RootElement, "body") is { } fault)
        {
            document.Dispose();
            return (null, ApiProblems.InvalidField(fault.Field, fault.Message));
        }

        return (document, null);
    }

    /// <summary>
    /// What JSON allows but a request must not contain. A string may escape half a surrogate pair ("\uD800"), which
    /// cannot become a .NET string, so every later read would throw. An object may repeat a key, and which value
    /// counts would be the parser's choice, not the client's. Returns the field at fault, or null when all is sound.
    /// </summary>
    private static (string Field, string Message)? FindFault(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return IsReadable(() => element.GetString()) ? null : (path, UnpairedSurrogate);
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (FindFault(item, $"{path}[{index++}]") is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonValueKind.Object:
                var names = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    if (!IsReadable(() => property.Name))
                    {
                        return (path, UnpairedSurrogate);
                    }

                    var field = path == "body" ? property.Name : $"{path}.{property.Name}";
                    if (!names.Add(property.Name))
                    {
                        return (field, "appears more than once");
                    }

                    if (FindFault(property.Value, field) is { } found)
                    {
                        return found;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    private const string UnpairedSurrogate = "is not valid Unicode text (an unpaired surrogate escape such as \\uD800)";

    private static bool IsReadable(Func<string?> read)
    {
        try
        {
            read();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static ProblemHttpResult TooLarge(int maxBytes) =>
        ApiProblems.Status(StatusCodes.Status413PayloadTooLarge, "Request body too large.", $"The body may be at most {maxBytes:N0} bytes.");
}
