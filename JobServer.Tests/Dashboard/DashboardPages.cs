using System.Net;
using System.Text.RegularExpressions;

namespace JobServer.Tests.Dashboard;

/// <summary>
/// What a browser does with the dashboard, over plain HTTP: read a page, pull the antiforgery token out of its form
/// (the matching cookie stays in the client's cookie container), post a form back and follow the redirect.
/// </summary>
internal static partial class DashboardPages
{
    public const string TokenField = "__RequestVerificationToken";

    public static async Task<string> GetPageAsync(this HttpClient client, string url, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await client.GetAsync(url);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"GET {url}: expected {expected}, got {(int)response.StatusCode}: {html[..Math.Min(html.Length, 500)]}");
        return html;
    }

    /// <summary>The antiforgery token of the page's forms.</summary>
    public static string Token(string html)
    {
        var match = TokenInput().Match(html);
        Assert.True(match.Success, "the page has no form with an antiforgery token");
        return WebUtility.HtmlDecode(match.Groups["token"].Value);
    }

    public static Task<HttpResponseMessage> PostFormAsync(this HttpClient client, string url, IEnumerable<KeyValuePair<string, string>> fields) =>
        client.PostAsync(url, new FormUrlEncodedContent(fields));

    /// <summary>Reads <paramref name="pageUrl"/>, posts <paramref name="fields"/> to <paramref name="actionUrl"/> as its form
    /// would (token and return address included), checks the 303 back to the page and returns the page it leads to.</summary>
    public static async Task<string> ActAsync(this HttpClient client, string pageUrl, string actionUrl, params (string Name, string Value)[] fields)
    {
        var token = Token(await client.GetPageAsync(pageUrl));
        var form = fields.Select(f => KeyValuePair.Create(f.Name, f.Value))
            .Append(KeyValuePair.Create(TokenField, token))
            .Append(KeyValuePair.Create("returnUrl", pageUrl));
        using var response = await client.PostFormAsync(actionUrl, form);
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal(pageUrl, response.Headers.Location?.OriginalString);
        return await client.GetPageAsync(pageUrl);
    }

    public static string? Flash(string html) =>
        FlashMessage().Match(html) is { Success: true } match ? WebUtility.HtmlDecode(match.Groups["text"].Value) : null;

    /// <summary>The ids of the job rows on a list page, top to bottom.</summary>
    public static List<long> JobRowIds(string html) =>
        JobRow().Matches(html).Select(m => long.Parse(m.Groups["id"].Value)).ToList();

    /// <summary>The "Older" link's target, decoded, or null on the last page.</summary>
    public static string? OlderLink(string html) =>
        OlderPage().Match(html) is { Success: true } match ? WebUtility.HtmlDecode(match.Groups["href"].Value) : null;

    [GeneratedRegex("""name="__RequestVerificationToken" value="(?<token>[^"]+)">""")]
    private static partial Regex TokenInput();

    [GeneratedRegex("""data-testid="flash">(?<text>[^<]*)<""")]
    private static partial Regex FlashMessage();

    [GeneratedRegex("""<tr data-testid="job-row" data-job-id="(?<id>\d+)">""")]
    private static partial Regex JobRow();

    [GeneratedRegex("""<a href="(?<href>[^"]+)" data-testid="older-page">""")]
    private static partial Regex OlderPage();
}
