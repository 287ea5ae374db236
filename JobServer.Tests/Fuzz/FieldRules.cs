using System.Numerics;
using System.Text.RegularExpressions;

namespace JobServer.Tests.Fuzz;

/// <summary>
/// The validity oracle of one field, written from the API's documented rules: whether a value is one the server must
/// accept (true), must refuse (false), or one the oracle cannot call (null, e.g. what .NET's URI parser thinks of
/// "http://[::1"). Null means "the field's default" for a nullable field and "missing" for the others.
/// </summary>
internal abstract class FieldRule
{
    public bool Nullable { get; init; }

    public bool? Accepts(Literal value) => !value.ValidJson ? false : value.IsNull ? Nullable : AcceptsValue(value);

    /// <summary>Values at the edges of what the field takes (boundaries, near misses), each judged by <see cref="Accepts"/>.</summary>
    public virtual IEnumerable<Literal> Edges(Random random) => [];

    protected abstract bool? AcceptsValue(Literal value);
}

/// <summary>A whole number within a range, sent as a plain JSON integer (no fraction, no exponent, no quotes).</summary>
internal sealed class IntRule(BigInteger min, BigInteger max) : FieldRule
{
    protected override bool? AcceptsValue(Literal value) => value.Integer is { } n && n >= min && n <= max;

    public override IEnumerable<Literal> Edges(Random random) =>
    [
        Literal.Number($"{min - 1}", "below-min"), Literal.Number($"{min}", "min"), Literal.Number($"{max}", "max"),
        Literal.Number($"{max + 1}", "above-max"), Literal.Number($"{min}.0", "min-as-decimal"), Literal.Number($"{max}e0", "max-with-exponent"),
        Literal.String($"{min}", "min-as-string"), Literal.Number(min.IsZero ? "-0" : $"-{min}", "negated-min"),
    ];
}

/// <summary>A string of <paramref name="min"/> to <paramref name="max"/> UTF-16 units, matching <paramref name="pattern"/> when given.</summary>
internal sealed class TextRule(int min, int max, string sample, Regex? pattern = null) : FieldRule
{
    /// <summary>Whitespace alone counts as missing (a [Required] argument).</summary>
    public bool NotBlank { get; init; }

    protected override bool? AcceptsValue(Literal value) =>
        value.Text is { } text && value.WellFormed && text.Length >= min && text.Length <= max && (pattern?.IsMatch(text) ?? true)
        && !(NotBlank && string.IsNullOrWhiteSpace(text));

    public override IEnumerable<Literal> Edges(Random random)
    {
        var (nearMiss, nearMissClass) = HostileStrings.NearMiss(random, sample);
        var longest = pattern is null ? HostileStrings.LongUnicode(random, max + 2)[..max] : new string('a', max);
        return
        [
            Literal.String(nearMiss, nearMissClass), Literal.String(longest, "max-length"), Literal.String(longest + "a", "max-length+1"),
            Literal.String(sample, "sample-escaped", escapeAll: true),
        ];
    }
}

/// <summary>Exactly one of a few words, compared by ordinal.</summary>
internal sealed class OneOfRule(params string[] values) : FieldRule
{
    protected override bool? AcceptsValue(Literal value) => value.Text is { } text && values.Contains(text, StringComparer.Ordinal);

    public override IEnumerable<Literal> Edges(Random random)
    {
        var (text, @class) = HostileStrings.NearMiss(random, HostileStrings.Pick(random, values));
        return [Literal.String(text, @class)];
    }
}

/// <summary>A field whose valid values (cron, time zone, durations, dates) hostile text never hits: only the
/// template's own value passes, and null when the field is nullable.</summary>
internal sealed class TemplateOnlyRule(string? template = null) : FieldRule
{
    /// <summary>With a length limit: the text is trimmed first, and blank means the default (as the recurring time
    /// zone is read); empty or longer than the limit is refused.</summary>
    public int? TrimmedMaxLength { get; init; }

    protected override bool? AcceptsValue(Literal value) =>
        TrimmedMaxLength is { } max && value.Text is { Length: > 0 } text && value.WellFormed
            ? text.Length <= max && (text.Trim() == template || (Nullable && string.IsNullOrWhiteSpace(text)))
            : template is not null && value.Text == template;
}

/// <summary>
/// A field whose rule lives in a parser the oracle does not re-implement (cron, time zone, misfire mode): the template
/// and the listed values are judged as given, a near miss of one of them is the parser's call (null), and any other
/// hostile text is refused (hostile strings hit no cron, zone or mode).
/// </summary>
internal sealed class ListedRule(string template, params (string Value, bool? Valid)[] listed) : FieldRule
{
    public Func<string, bool?>? Judge { get; init; }

    protected override bool? AcceptsValue(Literal value)
    {
        if (value.Text is not { } text || !value.WellFormed)
        {
            return false;
        }

        if (text == template)
        {
            return true;
        }

        foreach (var (listedValue, valid) in listed)
        {
            if (listedValue == text)
            {
                return valid;
            }
        }

        return Judge?.Invoke(text) ?? (IsNearMiss(text, template) || listed.Any(l => IsNearMiss(text, l.Value)) ? null : false);
    }

    public override IEnumerable<Literal> Edges(Random random)
    {
        var (nearMiss, nearMissClass) = HostileStrings.NearMiss(random, template);
        return [Literal.String(nearMiss, nearMissClass), .. listed.Select(l => Literal.String(l.Value, "listed"))];
    }

    /// <summary>Equal but for case, surrounding space, a zero-width or NUL character, or look-alike letters: what
    /// <see cref="HostileStrings.NearMiss"/> makes.</summary>
    private static bool IsNearMiss(string text, string of)
    {
        var stripped = text.Replace("\u200B", "", StringComparison.Ordinal).Replace("\0", "", StringComparison.Ordinal).Trim();
        return string.Equals(stripped, of, StringComparison.OrdinalIgnoreCase)
            || (text.Length == of.Length && text.Where((c, i) => c != of[i]).All(c => c > 0x7f));
    }
}

/// <summary>The id of one particular job (a continuation's parent); look-alikes of that id are refused.</summary>
internal sealed class JobIdRule(long id) : FieldRule
{
    protected override bool? AcceptsValue(Literal value) => value.Integer == id;

    public override IEnumerable<Literal> Edges(Random random) =>
    [
        Literal.Number($"{id}.0", "id-as-decimal"), Literal.Number($"{id}e0", "id-with-exponent"), Literal.Number($"-{id}", "negative-id"),
        Literal.String($"{id}", "id-as-string"), Literal.Raw($"[{id}]", "id-in-array"), Literal.Number($"0{id}", "id-leading-zero"),
    ];
}

/// <summary>A nested object (a job's <c>args</c>): its fields are fuzzed through <see cref="Schema"/>; as a single
/// replacement value only the empty object can pass, when nothing in it is required.</summary>
internal sealed class ObjectRule(BodySchema schema) : FieldRule
{
    public BodySchema Schema => schema;

    protected override bool? AcceptsValue(Literal value) => value.Json == "{}" && schema.Fields.All(f => !f.Required);
}

/// <summary>A list of 1 to 100 absolute http(s) URLs. Hostile text is no URL; the URL-like edges are the URI parser's
/// call, so the oracle leaves them open.</summary>
internal sealed class UrlListRule : FieldRule
{
    private static readonly string[] UrlLike = ["http://", "http://x", "ftp://x", "http://[::1", "http:///x", "http://a b", "HTTP://X", "http://😀.example", "file:///etc/passwd", "http://localhost:99999", "//x.example"];

    protected override bool? AcceptsValue(Literal value) => value.Json.StartsWith("[\"http", StringComparison.OrdinalIgnoreCase) ? null : false;

    public override IEnumerable<Literal> Edges(Random random) =>
    [
        Literal.Raw($"[{Literal.String(HostileStrings.Pick(random, UrlLike), "url").Json}]", "url-like"),
        Literal.Raw("[" + string.Join(",", Enumerable.Repeat("\"http://x.example\"", 101)) + "]", "101-urls"),
        Literal.Raw("[]", "no-urls"),
    ];
}
