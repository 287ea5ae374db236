using System.Text;

namespace JobServer.Tests.Fuzz;

/// <summary>Bodies that are not one JSON value in UTF-8: cut short, broken syntax, bytes that are no UTF-8, a second
/// document, the wrong root. Every one must be refused.</summary>
internal static class MalformedBodies
{
    private static readonly byte[][] InvalidUtf8 =
    [
        [0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x80], [0xE2, 0x82], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xFE, 0xFF],
    ];

    // Raw control characters other than the three JSON counts as whitespace (tab, line feed, carriage return).
    private static readonly byte[] ControlBytes = [.. Enumerable.Range(0, 0x20).Where(b => b is not (0x09 or 0x0A or 0x0D)).Select(b => (byte)b)];

    public static (byte[] Body, string Class) Next(Random random, string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var at = random.Next(1, bytes.Length);
        return random.Next(12) switch
        {
            0 => (bytes[..at], "truncated"),
            1 => (Splice(bytes, at, HostileStrings.Pick(random, InvalidUtf8)), "invalid-utf8"),
            2 => (InsideFirstString(bytes, HostileStrings.Pick(random, InvalidUtf8)), "invalid-utf8-in-string"),
            3 => (Utf8(json.Replace('"', '\'')), "single-quotes"),
            4 => (Utf8(json[..^1] + ",}"), "trailing-comma"),
            5 => (Utf8(json + json), "two-documents"),
            6 => (Utf8("// comment\n" + json), "comment"),
            7 => (Utf8(HostileStrings.Pick(random, ["[" + json + "]", "\"" + json.Replace("\"", "\\\"") + "\"", "42", "null", "true", "[]"])), "not-an-object"),
            8 => (HostileStrings.Pick(random, [Array.Empty<byte>(), Utf8("   \n\t"), [0], Utf8(json + "\0")]), "empty-or-nul"),
            9 => ([0xEF, 0xBB, 0xBF, .. bytes], "byte-order-mark"),
            10 => (Utf8(json.Replace(":", "=")), "broken-syntax"),
            _ => (Splice(bytes, at, [HostileStrings.Pick(random, ControlBytes)]), "control-byte"),
        };
    }

    /// <summary>About ten megabytes: a giant string, a giant array, or the body buried in whitespace (valid JSON).</summary>
    public static (byte[] Body, string Class, bool StillValidJson) Huge(Random random, string json)
    {
        const int Size = 10 * 1024 * 1024;
        return random.Next(3) switch
        {
            0 => (Utf8("{\"pad\":\"" + new string('x', Size) + "\"," + json[1..]), "10MB-string", false),
            1 => (Utf8("{\"pad\":[" + string.Join(",", Enumerable.Repeat("1e400", Size / 6)) + "]," + json[1..]), "10MB-array", false),
            _ => (Utf8(new string(' ', Size) + json), "10MB-whitespace", true),
        };
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] Splice(byte[] bytes, int at, byte[] insert) => [.. bytes[..at], .. insert, .. bytes[at..]];

    /// <summary>Puts <paramref name="insert"/> inside the first string value, so only the UTF-8 check can object.</summary>
    private static byte[] InsideFirstString(byte[] bytes, byte[] insert)
    {
        var colon = Array.IndexOf(bytes, (byte)':');
        var quote = colon < 0 ? -1 : Array.IndexOf(bytes, (byte)'"', colon);
        return quote < 0 ? Splice(bytes, bytes.Length / 2, insert) : Splice(bytes, quote + 1, insert);
    }
}
