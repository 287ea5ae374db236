namespace JobServer.Dashboard.Html;

/// <summary>
/// A piece of HTML that is safe to write as is: it can only come from <see cref="Of"/>, whose literal parts are
/// compile-time text and whose holes are encoded, or from an <see cref="HtmlWriter"/>. A plain string never
/// becomes markup, so dynamic values cannot reach a page unencoded.
/// </summary>
internal readonly struct Markup
{
    public static readonly Markup Empty = new("");

    internal Markup(string value) => Value = value;

    internal string Value { get; }

    /// <summary>Markup from an interpolated string: <c>Markup.Of($"&lt;b&gt;{name}&lt;/b&gt;")</c> encodes <c>name</c>.</summary>
    public static Markup Of(ref HtmlHandler html) => new(html.ToStringAndClear());

    /// <summary><paramref name="markup"/> when <paramref name="condition"/> holds, nothing otherwise.</summary>
    public static Markup If(bool condition, ref HtmlHandler markup) => condition ? Of(ref markup) : Empty;

    public override string ToString() => Value;
}
