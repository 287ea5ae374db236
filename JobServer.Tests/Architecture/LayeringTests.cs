using JobServer.Tests.Infrastructure;

namespace JobServer.Tests.Architecture;

/// <summary>The layering of DESIGN.md, enforced: the engine and its storage know nothing of ASP.NET Core, and SQL
/// lives only in Storage/MySql (DML) and sql/ (DDL).</summary>
public sealed class LayeringTests
{
    private static readonly string Source = Path.Combine(TestMariaDb.RepositoryRoot(), "JobServer");

    private static IEnumerable<(string File, string Text)> SourceFiles(string folder) =>
        Directory.EnumerateFiles(Path.Combine(Source, folder), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => (Path.GetRelativePath(Source, f), File.ReadAllText(f)));

    [Theory]
    [InlineData("Engine")]
    [InlineData("Storage")]
    [InlineData("Jobs")]
    public void Folder_DoesNotReferenceAspNetCore(string folder)
    {
        var offenders = SourceFiles(folder).Where(f => f.Text.Contains("Microsoft.AspNetCore", StringComparison.Ordinal)).Select(f => f.File).ToList();

        Assert.True(offenders.Count == 0, "ASP.NET Core referenced from " + string.Join(", ", offenders));
    }

    [Theory]
    [InlineData("Engine")]
    [InlineData("Jobs")]
    [InlineData("Api")]
    [InlineData("Hosting")]
    public void Folder_HasNoSqlStatements(string folder)
    {
        string[] keywords = ["SELECT ", "INSERT INTO", "UPDATE js_", "DELETE FROM", "FOR UPDATE"];
        var offenders = SourceFiles(folder)
            .Where(f => keywords.Any(k => f.Text.Contains(k, StringComparison.Ordinal)))
            .Select(f => f.File)
            .ToList();

        Assert.True(offenders.Count == 0, "SQL outside Storage/MySql in " + string.Join(", ", offenders));
    }
}
