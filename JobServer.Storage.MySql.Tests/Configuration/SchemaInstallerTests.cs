using Dapper;
using Hangfire;
using JobServer.Storage.MySql.Schema;
using JobServer.Storage.MySql.Tests.Infrastructure;

namespace JobServer.Storage.MySql.Tests.Configuration;

public sealed class SchemaInstallerTests(MySqlTestDatabase db) : IClassFixture<MySqlTestDatabase>
{
    [Fact]
    public async Task Install_FourServersStartingTogether_EachScriptAppliedOnceAndRecorded()
    {
        var starts = Enumerable.Range(0, 4).Select(_ => Task.Run(() => db.CreateStorage().Dispose())).ToArray();
        await Task.WhenAll(starts);
        using var connection = db.Open();

        var recorded = connection.Query<int>("SELECT version FROM hf_schema_version ORDER BY version").ToList();
        var tables = connection.Query<string>(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name LIKE 'hf\\_%'").ToList();

        Assert.Equal(SchemaInstaller.Scripts().Select(s => s.Version), recorded);
        Assert.Contains("hf_job_queue", tables);
        Assert.Contains("hf_aggregated_counter", tables);
    }

    [Fact]
    public void Install_TablesUseTheServersNoPadBinaryCollation()
    {
        db.CreateStorage().Dispose();
        using var connection = db.Open();

        var collations = connection.Query<string>("""
            SELECT DISTINCT table_collation FROM information_schema.tables
            WHERE table_schema = DATABASE() AND table_name LIKE 'hf\_%' AND table_name <> 'hf_schema_version'
            """).ToList();

        Assert.Equal(["utf8mb4_nopad_bin"], collations);
    }

    [Fact]
    public void UseMySqlStorage_GlobalConfiguration_UsesTheStorageAndHidesCredentials()
    {
        var configured = GlobalConfiguration.Configuration.UseMySqlStorage(db.ConnectionString);
        using var storage = configured.Entry;

        Assert.Same(storage, JobStorage.Current);
        Assert.DoesNotContain("jobserver_test", storage.ToString().Replace(db.Name, ""));
        Assert.StartsWith("MySQL ", storage.ToString());
    }
}
