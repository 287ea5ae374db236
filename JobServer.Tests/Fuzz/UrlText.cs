using System.Text;

namespace JobServer.Tests.Fuzz;

/// <summary>Percent-encodes any text for a path segment or a query value, byte by byte of its UTF-8 (a lone
/// surrogate becomes U+FFFD, as it would from any client), so the server decodes exactly what the oracle judged.</summary>
internal static class UrlText
{
    public static string Escape(string text)
    {
        var escaped = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            if (b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9' or (byte)'-' or (byte)'_' or (byte)'~')
            {
                escaped.Append((char)b);
            }
            else
            {
                escaped.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return escaped.ToString();
    }

    /// <summary>Whether <paramref name="text"/> can be sent as a route value. Not empty: that is another route (a list).
    /// No NUL: Kestrel refuses it with a 400 before any application code runs, and the in-memory test server throws.</summary>
    public static bool IsPathSegment(string text) => text.Length > 0 && !text.Contains('\0');

    /// <summary>What the server reads back from <see cref="Escape"/>: the text with lone surrogates replaced.</summary>
    public static string Decoded(string text) => Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text));
}
