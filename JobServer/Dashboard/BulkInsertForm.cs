using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace JobServer.Dashboard;

/// <summary>
/// What the Bulk inserts form sent, as typed (so a refused form comes back filled in). It becomes the job's JSON
/// arguments unchanged but for numbers: a field that reads as a whole number is sent as one, anything else as the
/// text it is, which the argument reader then refuses naming the field ("rows must be a whole number").
/// </summary>
internal sealed record BulkInsertForm(string Rows, string Project, string ChunkSize)
{
    public static BulkInsertForm Empty { get; } = new("", "", "");

    public static BulkInsertForm Read(IFormCollection form) =>
        new(form["rows"].ToString().Trim(), form["project"].ToString(), form["chunkSize"].ToString().Trim());

    public JsonElement ToArguments()
    {
        var args = new JsonObject { ["rows"] = NumberOrText(Rows), ["project"] = Project };
        if (ChunkSize.Length > 0)
        {
            args["chunkSize"] = NumberOrText(ChunkSize);
        }

        return JsonSerializer.SerializeToElement(args);
    }

    private static JsonNode NumberOrText(string value) =>
        long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? JsonValue.Create(number)
            : JsonValue.Create(value);
}
