using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace JobServer.Dashboard.Html;

/// <summary>
/// Builds HTML from an interpolated string: the literal parts are written as they are (they are compile-time text
/// in this assembly), every hole is HTML-encoded — text and attribute values alike — except <see cref="Markup"/>,
/// which is already safe. Numbers and dates are formatted with the invariant culture.
/// </summary>
[InterpolatedStringHandler]
internal ref struct HtmlHandler
{
    /// <summary>Encodes &lt; &gt; &amp; quotes and '+'; leaves other characters readable (the page is UTF-8).</summary>
    internal static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    private readonly StringBuilder _builder;

    public HtmlHandler(int literalLength, int formattedCount)
    {
        _builder = new StringBuilder(literalLength + formattedCount * 16);
    }

    public HtmlHandler(int literalLength, int formattedCount, HtmlWriter writer)
    {
        _builder = writer.Builder;
    }

    public readonly void AppendLiteral(string literal) => _builder.Append(literal);

    public readonly void AppendFormatted(Markup markup) => _builder.Append(markup.Value);

    public readonly void AppendFormatted(string? text) => Encode(text);

    public readonly void AppendFormatted<T>(T value) => AppendFormatted(value, null);

    public readonly void AppendFormatted<T>(T value, string? format) =>
        Encode(value is IFormattable formattable ? formattable.ToString(format, CultureInfo.InvariantCulture) : value?.ToString());

    internal readonly string ToStringAndClear()
    {
        var text = _builder.ToString();
        _builder.Clear();
        return text;
    }

    /// <summary>Line breaks are safe in text and in quoted attributes; they are kept as such (the encoder would turn
    /// them into character references) so a stack trace stays readable in the page source too.</summary>
    private readonly void Encode(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        var lines = text.ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (i > 0)
            {
                _builder.Append('\n');
            }

            _builder.Append(Encoder.Encode(lines[i]));
        }
    }
}
