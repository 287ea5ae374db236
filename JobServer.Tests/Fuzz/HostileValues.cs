using System.Text;

namespace JobServer.Tests.Fuzz;

/// <summary>Hostile JSON values for one field: strings, numbers past every limit, wrong kinds, deep nesting, tokens
/// that are not JSON, and the field's own edge values.</summary>
internal static class HostileValues
{
    private static readonly string[] Numbers =
    [
        "1e400", "-1e400", "1e-400", "18446744073709551616", "18446744073709551615", "9223372036854775807", "9223372036854775808",
        "-9223372036854775809", "2147483647", "2147483648", "-2147483649", "-0", "0.0", "-0.0", "1.5", "1e2", "1E+2", "0.1e1",
        "4.9e-324", "1.7976931348623157e308", "10.0", "123456789012345678901234567890",
    ];

    private static readonly string[] NotJson = ["NaN", "Infinity", "-Infinity", "+1", "01", ".5", "1.", "0x1F", "1_000", "undefined", "'single'", "TRUE", "nul", "\"unterminated", "- 1"];

    private static readonly Literal[] WrongKinds =
    [
        .. ((string[])["true", "false", "[]", "[1]", "{}", "{\"\":null}", "0", "[null]", "{\"a\":[]}"]).Select(json => Literal.Raw(json, "wrong-kind")),
        Literal.String("", "wrong-kind"), Literal.String("1", "wrong-kind"),
    ];

    /// <summary>A hostile value for a field ruled by <paramref name="rule"/> (its edges included), or for any field when null.</summary>
    public static Literal For(FieldRule? rule, Random random)
    {
        var roll = random.Next(100);
        if (roll < 20 && rule?.Edges(random).ToList() is { Count: > 0 } edges)
        {
            return HostileStrings.Pick(random, edges);
        }

        return roll switch
        {
            < 45 => HostileString(random),
            < 60 => Number(random),
            < 75 => HostileStrings.Pick(random, WrongKinds),
            < 80 => Literal.Null,
            < 88 => DeepNesting(random),
            < 93 => Literal.Raw(HostileStrings.Pick(random, NotJson), "not-json", validJson: false),
            _ => Literal.Number(Digits(random, random.Next(20, 400)), "huge-integer"),
        };
    }

    public static Literal HostileString(Random random)
    {
        var (text, @class) = HostileStrings.Next(random);
        return Literal.String(text, @class, escapeAll: random.Next(4) == 0);
    }

    public static Literal Number(Random random) => Literal.Number(HostileStrings.Pick(random, Numbers), "odd-number");

    /// <summary>Arrays or objects nested past any sensible depth; the API reads at most 64 levels.</summary>
    public static Literal DeepNesting(Random random)
    {
        var depth = HostileStrings.Pick(random, [10, 63, 65, 1_000, 100_000]);
        var (open, close) = random.Next(2) == 0 ? ("[", "]") : ("{\"a\":", "}");
        var json = new StringBuilder(depth * (open.Length + 1) + 1);
        json.Insert(0, open, depth).Append('1').Append(close[0], depth);
        return Literal.Raw(json.ToString(), $"nested-{depth}", validJson: depth < 60);
    }

    private static string Digits(Random random, int count)
    {
        var digits = new char[count];
        for (var i = 0; i < count; i++)
        {
            digits[i] = (char)('0' + random.Next(i == 0 ? 1 : 0, 10));
        }

        return new string(digits);
    }
}
