using Microsoft.Playwright;

namespace JobServer.Tests.Browser;

/// <summary>
/// One headless Debian chromium for the browser collection, driven by Playwright. Playwright's own browser builds are
/// never used or downloaded (no <c>playwright install</c>): the launch names the system binary. When it is missing the
/// tests fail with a message saying how to get it; they do not skip, since a skipped browser test proves nothing.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>How long a Playwright wait or expectation may take: the same patience as the other tests' polls.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException(
                $"Chromium is not installed at {ExecutablePath}, so the browser tests cannot run. Run the tests with scripts/test.sh, "
                + "which installs it, or install it with `apt-get install -y chromium`. (Do not run `playwright install`: the browser "
                + "tests use Debian's chromium.)");
        }

        Assertions.SetDefaultExpectTimeout((float)Patience.TotalMilliseconds);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}
