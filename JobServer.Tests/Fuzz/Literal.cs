using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.RegularExpressions;

namespace JobServer.Tests.Fuzz;

/// <summary>
/// A JSON value as the fuzzer sends it (raw text, so it can be anything: a lone surrogate escape, 1e400, broken
/// JSON) together with what the validity oracle needs to judge it without asking the server.
/// </summary>
internal sealed partial record Literal(string Json, string Class)
{
    /// <summary>The decoded text of a JSON string; null for any other kind of value.</summary>
    public string? Text { get; private init; }

    /// <summary>False for a string holding half a surrogate pair: JSON can escape it, no .NET string can be read from it.</summary>
    public bool WellFormed { get; private init; } = true;

    /// <summary>False when the text is not a JSON value at all (NaN, 0x1F, too deep to parse), so the whole body is malformed.</summary>
    public bool ValidJson { get; private init; } = true;

    public bool IsNull => Json == "null";

    public static readonly Literal Null = new("null", "null");

    public static Literal Number(string json, string @class) => new(json, @class) { ValidJson = IsJsonNumber(json) };

    /// <summary>Any other raw value (arrays, objects, booleans), trusted to be valid JSON unless told otherwise.</summary>
    public static Literal Raw(string json, string @class, bool validJson = true) => new(json, @class) { ValidJson = validJson };

    /// <summary>A JSON string: quotes, backslashes, control characters and lone surrogates escaped (the lone ones
    /// stay lone, as \uD800); other characters go as UTF-8, or as \u escapes when <paramref name="escapeAll"/>.</summary>
    public static Literal String(string text, string @class, bool escapeAll = false)
    {
        var json = new StringBuilder(text.Length + 2).Append('"');
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var paired = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            if (paired && !escapeAll)
            {
                json.Append(c).Append(text[++i]);
            }
            else if (c is '"' or '\\')
            {
                json.Append('\\').Append(c);
            }
            else if (c < 0x20 || char.IsSurrogate(c) || (escapeAll && c > 0x7e))
            {
                json.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
            else
            {
                json.Append(c);
            }
        }

        return new Literal(json.Append('"').ToString(), @class) { Text = text, WellFormed = IsWellFormed(text) };
    }

    /// <summary>The value of a plain integer literal (no fraction, no exponent), of any size; null otherwise.</summary>
    public BigInteger? Integer => ValidJson && IntegerLiteral().IsMatch(Json) ? BigInteger.Parse(Json, CultureInfo.InvariantCulture) : null;

    public static bool IsWellFormed(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsJsonNumber(string json) => JsonNumber().IsMatch(json);

    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)\z")]
    private static partial Regex IntegerLiteral();

    // RFC 8259's number grammar.
    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?\z")]
    private static partial Regex JsonNumber();
}
