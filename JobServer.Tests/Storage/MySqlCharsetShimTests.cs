using Dapper;
using JobServer.Storage.MySql;
using JobServer.Tests.Infrastructure;
using MySql.Data.MySqlClient;

namespace JobServer.Tests.Storage;

[Collection(SerialCollection.Name)]
public sealed class MySqlCharsetShimTests
{
    // information_schema columns are utf8mb3 on MariaDB 10.6+: exactly the metadata MySql.Data 8.0.16 cannot read.
    private const string Utf8Mb3Query = "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA LIMIT 1";

    [Fact]
    public void Install_Utf8Mb3Metadata_BecomesReadable()
    {
        try
        {
            MySqlCharsetShim.UninstallForTest();
            MySqlConnection.ClearAllPools();
            var withoutShim = Record.Exception(() => Query());
            Assert.NotNull(withoutShim);
            Assert.True(withoutShim is NotSupportedException or KeyNotFoundException, withoutShim.ToString());

            MySqlCharsetShim.Install();
            MySqlConnection.ClearAllPools();

            Assert.False(string.IsNullOrEmpty(Query()));
        }
        finally
        {
            MySqlCharsetShim.Install();
        }
    }

    private static string Query()
    {
        using var connection = new MySqlConnection(TestDatabase.ServerConnectionString);
        connection.Open();
        return connection.QueryFirst<string>(Utf8Mb3Query);
    }
}
