using System.Collections.Concurrent;
using System.Globalization;
using JobServer.Tests.Api;
using Microsoft.Playwright;

namespace JobServer.Tests.Browser;

/// <summary>
/// One test's browser: a fresh context (own cookies, 1280×800, UTC, en-US) on the shared chromium, pointed at the
/// test's <see cref="DashboardServer"/>. It records script errors on the page, which a test checks at its end with
/// <see cref="AssertNoScriptErrors"/>.
/// </summary>
internal sealed class DashboardBrowser : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly ConcurrentQueue<string> _scriptErrors = new();

    private DashboardBrowser(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.PageError += (_, error) => _scriptErrors.Enqueue($"uncaught: {error}");
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                _scriptErrors.Enqueue($"console: {message.Text}");
            }
        };
    }

    public IPage Page { get; }

    public static async Task<DashboardBrowser> OpenAsync(ChromiumFixture chromium, DashboardServer server)
    {
        var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = server.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
            Locale = "en-US",
            TimezoneId = "UTC",
        });
        context.SetDefaultTimeout((float)ChromiumFixture.Patience.TotalMilliseconds);
        return new DashboardBrowser(context, await context.NewPageAsync());
    }

    /// <summary>Opens <paramref name="path"/> (e.g. "dashboard/jobs/failed") and checks it answered 200.</summary>
    public async Task GotoAsync(string path)
    {
        var response = await Page.GotoAsync(path.TrimStart('/'));
        Assert.True(response?.Status == 200, $"GET {path}: expected 200, got {response?.Status}");
    }

    public ILocator TestId(string testId) => Page.GetByTestId(testId);

    public ILocator JobRow(long id) => Page.Locator($"[data-testid='job-row'][data-job-id='{id}']");

    /// <summary>The number a count element shows ("1,234" → 1234).</summary>
    public static async Task<long> NumberAsync(ILocator locator) =>
        long.Parse((await locator.TextContentAsync() ?? "").Trim(), NumberStyles.AllowThousands, CultureInfo.InvariantCulture);

    /// <summary>Waits until the number <paramref name="locator"/> shows satisfies <paramref name="done"/>; returns it.</summary>
    public static Task<long> UntilNumberAsync(ILocator locator, Func<long, bool> done, string what) =>
        ApiFactory.UntilAsync(
            async () => long.TryParse((await locator.TextContentAsync() ?? "").Trim(), NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var n) ? n : -1,
            done,
            what,
            ChromiumFixture.Patience);

    /// <summary>Marks the current document, so a test can later prove the page changed without being reloaded.</summary>
    public Task MarkDocumentAsync() => Page.EvaluateAsync("() => { window.__testMark = true; }");

    public Task<bool> IsSameDocumentAsync() => Page.EvaluateAsync<bool>("() => window.__testMark === true");

    /// <summary>The full page, to artifacts/screenshots/<paramref name="name"/>.</summary>
    public Task ScreenshotAsync(string name) => ScreenshotToAsync(Screenshots.Artifact(name), fullPage: true);

    public Task ScreenshotToAsync(string path, bool fullPage) =>
        Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = fullPage });

    public void AssertNoScriptErrors() =>
        Assert.True(_scriptErrors.IsEmpty, "The page reported script errors:\n" + string.Join("\n", _scriptErrors));

    public async ValueTask DisposeAsync() => await _context.CloseAsync();
}
