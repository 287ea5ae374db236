using JobServer.Tests.Infrastructure;

namespace JobServer.Tests.Dashboard;

/// <summary>The dashboard reads through the storage seams (IJobReader) and steers through the engine: it never reaches
/// into the MySQL implementation and holds no SQL, so it can only use the history-safe reads the seam offers.</summary>
public sealed class DashboardLayeringTests
{
    [Fact]
    public void DashboardSources_UseNoMySqlStorageAndNoSql()
    {
        string[] forbidden = ["JobServer.Storage.MySql", "MySql.Data", "Dapper", "SELECT ", "COUNT(", "OFFSET", "DELETE FROM", "UPDATE js_"];
        var folder = Path.Combine(TestMariaDb.RepositoryRoot(), "JobServer", "Dashboard");

        var offenders = Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .SelectMany(file => forbidden.Where(File.ReadAllText(file).Contains).Select(word => $"{Path.GetFileName(file)}: {word}"))
            .ToList();

        Assert.True(offenders.Count == 0, "The dashboard goes around the seams: " + string.Join(", ", offenders));
    }
}
