using System.Text.RegularExpressions;
using JobServer.Tests.Infrastructure;

namespace JobServer.Tests.Architecture;

/// <summary>The layering of the README's architecture, enforced: the storage is the only code that knows Hangfire's
/// tables, the jobs know only api_data and its procedures, and the jobs and concurrency filter know nothing of
/// ASP.NET Core.</summary>
public sealed partial class LayeringTests
{
    private static readonly string Root = TestMariaDb.RepositoryRoot();

    private static IEnumerable<(string File, string Text)> SourceFiles(string folder) =>
        Directory.EnumerateFiles(Path.Combine(Root, folder), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => (Path.GetRelativePath(Root, f), File.ReadAllText(f)));

    [Theory]
    [InlineData("JobServer/Jobs")]
    [InlineData("JobServer/Concurrency")]
    [InlineData("JobServer.Storage.MySql")]
    public void Folder_DoesNotReferenceAspNetCore(string folder)
    {
        var offenders = SourceFiles(folder).Where(f => f.Text.Contains("Microsoft.AspNetCore", StringComparison.Ordinal)).Select(f => f.File).ToList();

        Assert.True(offenders.Count == 0, "ASP.NET Core referenced from " + string.Join(", ", offenders));
    }

    [Fact]
    public void HangfireTables_AreNamedOnlyByTheStorage()
    {
        var offenders = SourceFiles("JobServer")
            .Concat(Directory.EnumerateFiles(Path.Combine(Root, "sql", "app")).Select(f => (Path.GetRelativePath(Root, f), File.ReadAllText(f))))
            .Where(f => HangfireTableName().IsMatch(StripComments(f.Item2)))
            .Select(f => f.Item1)
            .ToList();

        Assert.True(offenders.Count == 0, "Hangfire's tables named outside JobServer.Storage.MySql in " + string.Join(", ", offenders));
    }

    [Fact]
    public void SqlStatements_LiveOnlyInTheJobsDataClasses()
    {
        string[] keywords = ["SELECT ", "INSERT INTO", "UPDATE ", "DELETE FROM", "CALL "];
        string[] allowed = ["JobServer/Jobs/BulkInsertSql.cs", "JobServer/Jobs/ApiDataSchema.cs", "JobServer/Jobs/ApiDataQueries.cs", "JobServer/Jobs/DailyReportJob.cs"];
        var offenders = SourceFiles("JobServer")
            .Where(f => !allowed.Contains(f.File.Replace('\\', '/')))
            .Where(f => keywords.Any(k => StripComments(f.Text).Contains(k, StringComparison.Ordinal)))
            .Select(f => f.File)
            .ToList();

        Assert.True(offenders.Count == 0, "SQL outside the jobs' data classes in " + string.Join(", ", offenders));
    }

    [Fact]
    public void TheOldEngineAndItsDriver_AreGone()
    {
        var project = File.ReadAllText(Path.Combine(Root, "JobServer", "JobServer.csproj"));

        Assert.DoesNotContain("MySql.Data", project, StringComparison.Ordinal);
        Assert.DoesNotContain("NCrontab", project, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(Root, "JobServer", "Engine")));
    }

    /// <summary>Comments may mention a table (to explain a limit); code may not use one.</summary>
    private static string StripComments(string text) => CommentLine().Replace(text, "");

    [GeneratedRegex(@"\bhf_[a-z_]+\b")]
    private static partial Regex HangfireTableName();

    [GeneratedRegex(@"(//[^\n]*|--[^\n]*)")]
    private static partial Regex CommentLine();
}
