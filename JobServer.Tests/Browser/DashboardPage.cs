using Microsoft.Playwright;

namespace JobServer.Tests.Browser;

/// <summary>A browser tab on the dashboard that records the page's script errors, so a test can prove there were none.</summary>
internal sealed class DashboardPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly List<string> _errors = [];

    private DashboardPage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.PageError += (_, error) => _errors.Add(error);
    }

    public IPage Page { get; }

    public static async Task<DashboardPage> OpenAsync(ChromiumFixture chromium)
    {
        var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = Screenshots.Viewport, Locale = "en-US", TimezoneId = "UTC" });
        return new DashboardPage(context, await context.NewPageAsync());
    }

    public void AssertNoScriptErrors() => Assert.True(_errors.Count == 0, "script errors: " + string.Join(" | ", _errors));

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
