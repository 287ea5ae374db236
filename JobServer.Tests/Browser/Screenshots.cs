namespace JobServer.Tests.Browser;

/// <summary>
/// Where screenshots go: every run writes them to <c>artifacts/screenshots/</c> at the repository root (git-ignored);
/// the README's pictures in <c>docs/screenshots/</c> are rewritten only when <see cref="UpdateDocsVariable"/> is 1.
/// </summary>
internal static class Screenshots
{
    public const string UpdateDocsVariable = "JOBSERVER_UPDATE_DOCS_SCREENSHOTS";

    public static bool UpdateDocs => Environment.GetEnvironmentVariable(UpdateDocsVariable) == "1";

    /// <summary>A file in artifacts/screenshots/, whose folder is created if missing.</summary>
    public static string Artifact(string name) => InFolder(Path.Combine(RepositoryRoot, "artifacts", "screenshots"), name);

    /// <summary>docs/screenshots/<paramref name="name"/> when the README's pictures are being updated, else an artifact
    /// named docs-<paramref name="name"/>.</summary>
    public static string ForDocs(string name) =>
        UpdateDocs ? InFolder(Path.Combine(RepositoryRoot, "docs", "screenshots"), name) : Artifact("docs-" + name);

    private static string InFolder(string folder, string name)
    {
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name);
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
