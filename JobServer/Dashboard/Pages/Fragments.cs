using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using JobServer.Dashboard.Html;
using JobServer.Engine.States;

namespace JobServer.Dashboard.Pages;

/// <summary>Small pieces several pages share: state badges, times, durations, counts, JSON, action forms.</summary>
internal static class Fragments
{
    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        // Shown as text (and HTML-encoded on the way out), so keep "<", "é" and quotes readable instead of \u escapes.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Markup StateBadge(JobState state) =>
        Markup.Of($"""<span class="badge state-{DashboardLinks.Slug(state)}" data-testid="state-badge">{state}</span>""");

    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>"2025-01-31 14:05:09 UTC", in a <c>time</c> element.</summary>
    public static Markup Time(DateTime? utc) =>
        utc is { } at ? Markup.Of($"""<time datetime="{Iso(at)}">{at:yyyy-MM-dd HH:mm:ss} UTC</time>""") : Markup.Of($"—");

    /// <summary>"3 min ago" (or "in 3 min"), with the exact time as a tooltip.</summary>
    public static Markup Ago(DateTime? utc, DateTime now)
    {
        if (utc is not { } at)
        {
            return Markup.Of($"—");
        }

        var text = at <= now ? Duration(now - at) + " ago" : "in " + Duration(at - now);
        return Markup.Of($"""<time datetime="{Iso(at)}" title="{at:yyyy-MM-dd HH:mm:ss} UTC">{text}</time>""");
    }

    /// <summary>How long ago <paramref name="since"/> was ("3 min"), with the exact time as a tooltip.</summary>
    public static Markup Age(DateTime since, DateTime now) =>
        Markup.Of($"""<time datetime="{Iso(since)}" title="since {since:yyyy-MM-dd HH:mm:ss} UTC">{Duration(now > since ? now - since : TimeSpan.Zero)}</time>""");

    public static string Duration(TimeSpan span) => span switch
    {
        { TotalSeconds: < 1 } => $"{Math.Max(0, (int)span.TotalMilliseconds)} ms",
        { TotalSeconds: < 10 } => span.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s",
        { TotalMinutes: < 1 } => $"{(int)span.TotalSeconds} s",
        { TotalHours: < 1 } => $"{(int)span.TotalMinutes} min {span.Seconds} s",
        { TotalDays: < 1 } => $"{(int)span.TotalHours} h {span.Minutes} min",
        _ => $"{(int)span.TotalDays} d {span.Hours} h",
    };

    /// <summary>JSON indented for reading; text that is not JSON is shown as it is.</summary>
    public static string PrettyJson(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return JsonSerializer.Serialize(document.RootElement, Indented);
        }
        catch (JsonException)
        {
            return json;
        }
    }

    /// <summary>
    /// A POST form with one button: the antiforgery token, the address to come back to, and the given fields. Renders
    /// nothing in read-only mode.
    /// </summary>
    public static Markup ActionButton(
        PageContext page, string action, string label, string testId, IEnumerable<(string Name, string Value)> fields, string style = "", string? confirm = null)
    {
        if (!page.CanAct)
        {
            return Markup.Empty;
        }

        var html = new HtmlWriter();
        html.Add($"""<form method="post" action="{action}" class="inline-form">""").Add(HiddenFields(page));
        foreach (var (name, value) in fields)
        {
            html.Add($"""<input type="hidden" name="{name}" value="{value}">""");
        }

        html.Add($"""<button type="submit" class="button {style}" data-testid="{testId}"{ConfirmAttribute(confirm)}>{label}</button></form>""");
        return html.ToMarkup();
    }

    /// <summary>The fields every dashboard form posts: the antiforgery token and where to return afterwards.</summary>
    public static Markup HiddenFields(PageContext page) =>
        Markup.Of($"""<input type="hidden" name="{page.AntiforgeryField}" value="{page.AntiforgeryToken}"><input type="hidden" name="returnUrl" value="{page.CurrentUrl}">""");

    /// <summary>Asks the browser (through dashboard.js) to confirm before submitting.</summary>
    public static Markup ConfirmAttribute(string? question) =>
        Markup.If(question is not null, $""" data-confirm="{question}" """);

    private static string Iso(DateTime utc) => utc.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
}
