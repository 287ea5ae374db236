using System.Net;
using System.Text.RegularExpressions;

namespace JobServer.Tests.Dashboard;

/// <summary>
/// What a browser does with Hangfire's dashboard, over plain HTTP: read a page, keep the antiforgery token it carries
/// (Hangfire puts it in <c>&lt;meta name="csrf-token"&gt;</c> and its script sends it as the header named by
/// <c>csrf-header</c>; the matching cookie stays in the client's cookie container) and send it with a POST.
/// </summary>
internal static partial class DashboardClient
{
    public const string FormTokenField = "__RequestVerificationToken";

    public static async Task<string> GetPageAsync(this HttpClient client, string url, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await client.GetAsync(url);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"GET {url}: expected {(int)expected}, got {(int)response.StatusCode}: {html[..Math.Min(html.Length, 500)]}");
        return html;
    }

    /// <summary>The header name and token of a dashboard page, as Hangfire's script reads them.</summary>
    public static (string Header, string Token) Antiforgery(string html)
    {
        var header = CsrfHeader().Match(html);
        var token = CsrfToken().Match(html);
        Assert.True(header.Success && token.Success, "the page carries no antiforgery token");
        return (WebUtility.HtmlDecode(header.Groups[1].Value), WebUtility.HtmlDecode(token.Groups[1].Value));
    }

    /// <summary>Posts a form as Hangfire's script does: the token of <paramref name="tokenPage"/> in the header.</summary>
    public static async Task<HttpResponseMessage> PostWithTokenAsync(this HttpClient client, string url, IEnumerable<KeyValuePair<string, string>> fields, string tokenPage = "/hangfire")
    {
        var (header, token) = Antiforgery(await client.GetPageAsync(tokenPage));
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add(header, token);
        return await client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> PostWithoutTokenAsync(this HttpClient client, string url, IEnumerable<KeyValuePair<string, string>> fields) =>
        client.PostAsync(url, new FormUrlEncodedContent(fields));

    /// <summary>The job ids a page links to (<c>/jobs/details/{id}</c>), in page order, without repeats.</summary>
    public static List<string> LinkedJobIds(string html) =>
        DetailsLink().Matches(html).Select(m => m.Groups[1].Value).Distinct().ToList();

    /// <summary>The page's text: tags removed, entities decoded.</summary>
    public static string Text(string html) => WebUtility.HtmlDecode(Tag().Replace(html, ""));

    public static KeyValuePair<string, string> Field(string name, string value) => KeyValuePair.Create(name, value);

    [GeneratedRegex("""<meta name="csrf-header" content="([^"]+)">""")]
    private static partial Regex CsrfHeader();

    [GeneratedRegex("""<meta name="csrf-token" content="([^"]+)">""")]
    private static partial Regex CsrfToken();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tag();

    [GeneratedRegex("""/jobs/details/(\d+)["?]""")]
    private static partial Regex DetailsLink();
}
