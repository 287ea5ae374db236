using Microsoft.Playwright;

namespace JobServer.Tests.Browser;

/// <summary>
/// The README's pictures: <c>docs/screenshots/{name}.png</c> at the repository root, rewritten by every run of the
/// browser tests that take them, at one viewport size, so the names and sizes never change.
/// </summary>
internal static class Screenshots
{
    public static readonly ViewportSize Viewport = new() { Width = 1280, Height = 860 };

    public static Task TakeAsync(IPage page, string name, bool fullPage = false) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = PathOf(name), FullPage = fullPage, Type = ScreenshotType.Png });

    public static string PathOf(string name)
    {
        var folder = Path.Combine(RepositoryRoot, "docs", "screenshots");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name + ".png");
    }

    /// <summary>The folder holding JobServer.sln, above the test binaries.</summary>
    private static string RepositoryRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "JobServer.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No JobServer.sln above {AppContext.BaseDirectory}: cannot tell where the repository is.");
    }
}
