using JobServer.Dashboard.Html;
using JobServer.Engine.States;

namespace JobServer.Dashboard.Pages;

/// <summary>The frame of every page: head with the one stylesheet and script, navigation, flash message, footer.</summary>
internal static class Layout
{
    public static HtmlPage Render(PageContext page, string title, Section section, Action<HtmlWriter> body, int statusCode = StatusCodes.Status200OK)
    {
        var links = page.Links;
        var html = new HtmlWriter();
        Head(html, links, title);
        html.Add($"""
            <body>
            <header class="topbar">
              <a class="brand" href="{links.Home}" data-testid="nav-brand">JobServer</a>
              <nav aria-label="Sections">
            """);
        NavLink(html, links.Home, "Overview", "nav-overview", section == Section.Overview);
        NavLink(html, links.Jobs(JobState.Enqueued), "Jobs", "nav-jobs", section == Section.Jobs);
        NavLink(html, links.Recurring, "Recurring", "nav-recurring", section == Section.Recurring);
        NavLink(html, links.Servers, "Servers", "nav-servers", section == Section.Servers);
        NavLink(html, links.Queues, "Queues", "nav-queues", section == Section.Queues);
        html.Add($"""
              </nav>
              {Markup.If(page.ReadOnly, $"""<span class="badge read-only" data-testid="read-only">Read-only</span>""")}
            </header>
            <main>
            """);
        if (page.Flash is { } flash)
        {
            html.Add($"""<p class="flash {(flash.IsError ? "flash-error" : "flash-info")}" role="status" data-testid="flash">{flash.Text}</p>""");
        }

        body(html);
        html.Add($"""
            </main>
            <footer>Rendered {Fragments.Time(page.Now)}</footer>
            </body>
            </html>
            """);
        return new HtmlPage(html.ToMarkup(), statusCode);
    }

    /// <summary>A page without navigation, for answers to requests that may not see the dashboard, or that failed before
    /// a page could be built. Loads no assets: they would be refused too.</summary>
    public static HtmlPage Bare(int statusCode, string title, string message, string? homeUrl = null)
    {
        var html = new HtmlWriter();
        html.Add($"""
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><title>{title} · JobServer</title></head>
            <body>
            <main data-testid="error" data-status="{statusCode}">
            <h1>{title}</h1>
            <p data-testid="error-message">{message}</p>
            {Markup.If(homeUrl is not null, $"""<p><a href="{homeUrl}">Back to the dashboard</a></p>""")}
            </main>
            </body>
            </html>
            """);
        return new HtmlPage(html.ToMarkup(), statusCode);
    }

    /// <summary>An error inside the dashboard (unknown job, bad filter), with navigation to go on from.</summary>
    public static HtmlPage Error(PageContext page, int statusCode, string title, string message, Section section = Section.Overview) =>
        Render(page, title, section, html => html.Add($"""
            <section class="error-panel" data-testid="error" data-status="{statusCode}">
              <h1>{title}</h1>
              <p data-testid="error-message">{message}</p>
              <p><a href="{page.Links.Home}">Back to the overview</a></p>
            </section>
            """), statusCode);

    private static void Head(HtmlWriter html, DashboardLinks links, string title) => html.Add($"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{title} · JobServer</title>
        <link rel="icon" href="data:,">
        <link rel="stylesheet" href="{links.Asset("dashboard.css")}">
        <script src="{links.Asset("dashboard.js")}" defer></script>
        </head>
        """);

    private static void NavLink(HtmlWriter html, string href, string label, string testId, bool current) =>
        html.Add($"""<a href="{href}" data-testid="{testId}"{Markup.If(current, $" aria-current=\"page\"")}>{label}</a>""");
}
