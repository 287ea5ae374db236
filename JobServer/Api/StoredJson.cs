using System.Text.Json;

namespace JobServer.Api;

/// <summary>JSON read back from the database (arguments, results) for an answer.</summary>
internal static class StoredJson
{
    /// <summary>
    /// The stored text as a JSON element. Text that is not JSON — a row written by hand or by an older version — comes
    /// back as a JSON string holding that text, so one bad row cannot turn its job's whole answer into a 500.
    /// </summary>
    public static JsonElement ToElement(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);

            // Half a surrogate pair escaped in a string ("\uD800") parses, and fails only once written out.
            JsonSerializer.SerializeToUtf8Bytes(document.RootElement);
            return document.RootElement.Clone();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return JsonSerializer.SerializeToElement(json);
        }
    }
}
