using System.Globalization;
using System.Text.Json.Nodes;

namespace JobServer.Hosting;

/// <summary>
/// Turns a configuration section into JSON, for job arguments written in appsettings. Configuration keeps every value
/// as a string, so numbers and booleans are recognised by their text ("0" becomes 0, "true" becomes true); sections
/// whose keys are 0, 1, 2… become arrays.
/// </summary>
internal static class ConfigurationJson
{
    public static string ToJson(IConfigurationSection section) => (ToNode(section) ?? new JsonObject()).ToJsonString();

    private static JsonNode? ToNode(IConfigurationSection section)
    {
        var children = section.GetChildren().ToList();
        if (children.Count == 0)
        {
            return section.Value is null ? null : Scalar(section.Value);
        }

        if (children.All(c => int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            return new JsonArray(children.OrderBy(c => int.Parse(c.Key, CultureInfo.InvariantCulture)).Select(ToNode).ToArray());
        }

        var result = new JsonObject();
        foreach (var child in children)
        {
            result[child.Key] = ToNode(child);
        }

        return result;
    }

    private static JsonNode Scalar(string value)
    {
        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }

        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return JsonValue.Create(number);
        }

        if (bool.TryParse(value, out var flag))
        {
            return JsonValue.Create(flag);
        }

        return JsonValue.Create(value);
    }
}
