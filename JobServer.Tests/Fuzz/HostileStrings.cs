using System.Text;

namespace JobServer.Tests.Fuzz;

/// <summary>Text that has broken servers before: injection, control characters, broken and exotic Unicode, lengths
/// far past any limit. Each value comes with the name of its class, for the failure report.</summary>
internal static class HostileStrings
{
    private static readonly string[] Injections =
    [
        "'; DROP TABLE hf_job; --", "\" OR 1=1 --", "1' OR '1'='1", "x'); DELETE FROM hf_hash; --", "\\'; SELECT SLEEP(5); --",
        "0x27 UNION SELECT password FROM mysql.user", "%' AND 1=0 UNION ALL SELECT NULL --", "\\", "\\\\N", "\\N", "`id`",
        "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "{{7*7}}", "${jndi:ldap://x/a}", "%s%s%n%x",
        "../../../../etc/passwd", "..\\..\\windows\\win.ini", "\r\nSet-Cookie: a=b", "javascript:alert(1)", "/hangfire//evil.example",
    ];

    private static readonly string[] NumberWords = ["NaN", "-NaN", "Infinity", "-Infinity", "1e400", "-0", "0x10", "1_000", "١٢٣", "２", "1e-400", "18446744073709551616"];

    private static readonly string[] Exotic =
    [
        "\u0000", "a\u0000b", "\uFEFFbom", "\u202Eevil\u202C", "e\u0301", "\u200B", "\uFFFE\uFFFF", "\U0001F4A9", "👩‍👩‍👧‍👦", "Ω≈ç√∫",
        "\u00A0", "\u2028\u2029", "ǅ", "ﷺ", "\uDBFF\uDFFF", "\U000E0001", "İı", "ß", "\u0085", "\t\n\r\f\v",
    ];

    /// <summary>One hostile string of any class.</summary>
    public static (string Text, string Class) Next(Random random) => random.Next(10) switch
    {
        0 => (Pick(random, Injections), "injection"),
        1 => (ControlCharacters(random), "control-chars"),
        2 => (LongUnicode(random, random.Next(65, 3_000)), "long-unicode"),
        3 => (LoneSurrogate(random), "lone-surrogate"),
        4 => (Pick(random, NumberWords), "number-word"),
        5 => (Pick(random, Exotic), "exotic-unicode"),
        6 => (random.Next(2) == 0 ? "" : new string(' ', random.Next(1, 4)), "empty-or-blank"),
        7 => (RandomCodePoints(random, random.Next(1, 40)), "random-code-points"),
        8 => (new string((char)random.Next('a', 'z' + 1), random.Next(101, 70_000)), "overlong"),
        _ => (Pick(random, Injections) + LongUnicode(random, random.Next(1, 20)), "injection+unicode"),
    };

    /// <summary>A hostile string that is still valid text for a free-text field: 1 to <paramref name="maxLength"/>
    /// UTF-16 units (cut without splitting a pair), no lone surrogate, not whitespace alone.</summary>
    public static (string Text, string Class) NextValid(Random random, int maxLength)
    {
        while (true)
        {
            var (text, @class) = Next(random);
            if (text.Length > maxLength)
            {
                text = text[..(char.IsHighSurrogate(text[maxLength - 1]) ? maxLength - 1 : maxLength)];
            }

            if (Literal.IsWellFormed(text) && !string.IsNullOrWhiteSpace(text))
            {
                return (text, @class);
            }
        }
    }

    /// <summary>Almost <paramref name="valid"/>: another case, a space or control character around it, a look-alike
    /// letter, a zero-width character inside. For fields whose rule can judge the result.</summary>
    public static (string Text, string Class) NearMiss(Random random, string valid)
    {
        var at = random.Next(valid.Length + 1);
        return random.Next(8) switch
        {
            0 => (valid + " ", "trailing-space"),
            1 => (" " + valid, "leading-space"),
            2 => (valid.ToUpperInvariant() == valid ? valid.ToLowerInvariant() : valid.ToUpperInvariant(), "other-case"),
            3 => (valid + "\n", "trailing-newline"),
            4 => (valid.Insert(at, "\u200B"), "zero-width"),
            5 => (valid.Replace('e', 'е').Replace('a', 'а').Replace('o', 'о'), "cyrillic-lookalike"),
            6 => (valid + "\u0000", "trailing-nul"),
            _ => (string.Concat(valid.Select(c => c is >= '!' and <= '~' ? (char)(c - '!' + '！') : c)), "full-width"),
        };
    }

    public static T Pick<T>(Random random, IReadOnlyList<T> values) => values[random.Next(values.Count)];

    private static string ControlCharacters(Random random)
    {
        var text = new StringBuilder("x");
        for (var i = random.Next(1, 12); i > 0; i--)
        {
            text.Append((char)(random.Next(3) == 0 ? random.Next(0x7f, 0xa0) : random.Next(0, 0x20))).Append('y');
        }

        return text.ToString();
    }

    /// <summary>Letters from many scripts and planes, combining marks and emoji with their joiners: UTF-8 of 1 to 4
    /// bytes, UTF-16 of 1 or 2 units (so a cut by length can fall inside a pair).</summary>
    public static string LongUnicode(Random random, int length)
    {
        string[] pieces = ["a", "é", "ж", "中", "한", "ع", "\u0301", "😀", "𝔘", "👍🏽", "\u200D", "ॐ", "ß", "ﬃ"];
        var text = new StringBuilder(length + 4);
        while (text.Length < length)
        {
            text.Append(Pick(random, pieces));
        }

        return text.ToString();
    }

    private static string LoneSurrogate(Random random)
    {
        var half = (char)(random.Next(2) == 0 ? random.Next(0xD800, 0xDC00) : random.Next(0xDC00, 0xE000));
        return random.Next(3) switch
        {
            0 => half.ToString(),
            1 => "ok" + half,
            _ => half + "ok" + "😀",
        };
    }

    private static string RandomCodePoints(Random random, int count)
    {
        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            var codePoint = random.Next(0x110000);
            if (codePoint is >= 0xD800 and < 0xE000)
            {
                text.Append((char)codePoint);
            }
            else
            {
                text.Append(char.ConvertFromUtf32(codePoint));
            }
        }

        return text.ToString();
    }
}
