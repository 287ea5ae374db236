using JobServer.Dashboard.Html;

namespace JobServer.Tests.Dashboard;

public sealed class HtmlHandlerTests
{
    [Fact]
    public void Add_TextInHoles_IsEncodedForTextAndAttributes()
    {
        var value = "\"><script>alert('x')</script>&";

        var html = new HtmlWriter().Add($"""<a title="{value}">{value}</a>""").ToString();

        Assert.Equal("<a title=\"&quot;&gt;&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&amp;\">&quot;&gt;&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&amp;</a>", html);
    }

    [Fact]
    public void Add_Markup_IsWrittenOnceEncoded()
    {
        var inner = Markup.Of($"<b>{"<i>"}</b>");

        var html = new HtmlWriter().Add($"<p>{inner}</p>").ToString();

        Assert.Equal("<p><b>&lt;i&gt;</b></p>", html);
    }

    [Fact]
    public void Add_NumbersDatesAndNonAscii_AreInvariantAndReadable()
    {
        var at = new DateTime(2030, 5, 1, 10, 30, 0, DateTimeKind.Utc);

        var html = new HtmlWriter().Add($"{1234.5} {at:yyyy-MM-dd HH:mm} {"Zürich"} {(string?)null}|").ToString();

        Assert.Equal("1234.5 2030-05-01 10:30 Zürich |", html);
    }

    [Fact]
    public void Add_MultilineText_KeepsLineBreaksAndEncodesEachLine() =>
        Assert.Equal("<pre>a &lt;b&gt;\nc\n&amp;d</pre>", new HtmlWriter().Add($"<pre>{"a <b>\r\nc\n&d"}</pre>").ToString());

    [Fact]
    public void If_FalseCondition_WritesNothing() =>
        Assert.Equal("", Markup.If(false, $"<b>{"x"}</b>").ToString());
}
