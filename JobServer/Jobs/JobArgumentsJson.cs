using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace JobServer.Jobs;

/// <summary>
/// Reads submitted JSON into an argument class, strictly: unknown fields and numbers sent as strings are errors naming
/// the field, then the class's own <see cref="IJobArguments.Validate"/> runs. What passes can always be run.
/// </summary>
internal static partial class JobArgumentsJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.Strict,
        PropertyNameCaseInsensitive = false,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        MaxDepth = 32,
    };

    /// <summary>An absent element (<see cref="JsonValueKind.Undefined"/>) reads as <c>{}</c>: every default.</summary>
    public static TArgs? Read<TArgs>(JsonElement json, out IReadOnlyList<ArgumentError> errors)
        where TArgs : class, IJobArguments, new()
    {
        if (json.ValueKind == JsonValueKind.Undefined)
        {
            return Checked(new TArgs(), out errors);
        }

        if (json.ValueKind != JsonValueKind.Object)
        {
            errors = [new ArgumentError("", "must be a JSON object")];
            return null;
        }

        try
        {
            return Checked(json.Deserialize<TArgs>(Options)!, out errors);
        }
        catch (JsonException ex)
        {
            errors = [Explain(ex)];
            return null;
        }
    }

    private static TArgs? Checked<TArgs>(TArgs args, out IReadOnlyList<ArgumentError> errors)
        where TArgs : class, IJobArguments
    {
        errors = args.Validate();
        return errors.Count == 0 ? args : null;
    }

    private static ArgumentError Explain(JsonException ex)
    {
        // The name is whatever the client sent, quotes included ("1' OR '1'='1") or empty: read it up to the
        // message's own text, not to the next quote.
        var unmapped = UnmappedName().Match(ex.Message);
        if (unmapped.Success)
        {
            var name = unmapped.Groups[1].Value;
            return name.Length == 0
                ? new ArgumentError("", "has a field with an empty name, which is not a known argument")
                : new ArgumentError(name, "is not a known argument");
        }

        var field = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "" : ex.Path.TrimStart('$', '.');
        return new ArgumentError(field, Describe(ex.Message));
    }

    // System.Text.Json's messages name CLR types and positions; say what a client can act on.
    private static string Describe(string message) => message switch
    {
        _ when !message.Contains("could not be converted to", StringComparison.Ordinal) && message.Contains("null", StringComparison.OrdinalIgnoreCase) => "must not be null",
        _ when !message.Contains("could not be converted to", StringComparison.Ordinal) => "is not valid JSON here",
        _ when message.Contains("System.Int", StringComparison.Ordinal) => "must be a whole number (in range)",
        _ when message.Contains("System.String", StringComparison.Ordinal) => "must be a string",
        _ when message.Contains("DateTimeOffset", StringComparison.Ordinal) => "must be an ISO-8601 date and time",
        _ when message.Contains("List", StringComparison.Ordinal) => "must be an array",
        _ => "has the wrong type",
    };

    [GeneratedRegex(@"^The JSON property '(.*)' could not be mapped to any \.NET member", RegexOptions.Singleline)]
    private static partial Regex UnmappedName();
}
