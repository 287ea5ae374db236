using System.Runtime.CompilerServices;
using System.Text;

namespace JobServer.Dashboard.Html;

/// <summary>
/// Accumulates a page. Write with interpolated strings — <c>html.Add($"&lt;td&gt;{job.Type}&lt;/td&gt;")</c> — whose
/// holes are HTML-encoded by <see cref="HtmlHandler"/>. There is deliberately no overload taking a plain string.
/// </summary>
internal sealed class HtmlWriter
{
    internal StringBuilder Builder { get; } = new(16 * 1024);

    public HtmlWriter Add([InterpolatedStringHandlerArgument("")] ref HtmlHandler html) => this;

    public HtmlWriter Add(Markup markup)
    {
        Builder.Append(markup.Value);
        return this;
    }

    public Markup ToMarkup() => new(Builder.ToString());

    public override string ToString() => Builder.ToString();
}
