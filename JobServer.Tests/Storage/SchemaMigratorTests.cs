using Dapper;
using JobServer.Storage.MySql;
using JobServer.Tests.Infrastructure;

namespace JobServer.Tests.Storage;

public sealed class SchemaMigratorTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public void Migrate_AlreadyMigrated_AppliesNothing()
    {
        var applied = new SchemaMigrator(database.CreateDb()).Migrate();

        Assert.Empty(applied);
        using var connection = database.Open();
        var versions = connection.Query<int>("SELECT version FROM js_schema_version ORDER BY version").ToList();
        Assert.Equal(SchemaMigrator.LoadScripts().Select(s => s.Version), versions);
    }

    [Fact]
    public void Migrate_VersionRowLost_ReappliesScriptsHarmlessly()
    {
        using var connection = database.Open();
        connection.Execute("DELETE FROM js_schema_version");

        var applied = new SchemaMigrator(database.CreateDb()).Migrate();

        Assert.Equal(SchemaMigrator.LoadScripts().Select(s => s.Version), applied);
        Assert.Equal(applied.Count, connection.ExecuteScalar<int>("SELECT COUNT(*) FROM js_schema_version"));
    }

    [Fact]
    public void LoadScripts_EmbeddedSqlFolder_InVersionOrder()
    {
        var scripts = SchemaMigrator.LoadScripts();

        Assert.NotEmpty(scripts);
        Assert.Equal(scripts.Select(s => s.Version).Order(), scripts.Select(s => s.Version));
        Assert.Contains(scripts, s => s.Text.Contains("CREATE TABLE IF NOT EXISTS js_queue"));
    }
}
