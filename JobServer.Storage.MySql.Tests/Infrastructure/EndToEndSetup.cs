using JobServer.Storage.MySql.Tests.Child;

namespace JobServer.Storage.MySql.Tests.Infrastructure;

/// <summary>A storage on the test database with the execution log and the fetch audit installed next to hf_*.</summary>
internal static class EndToEndSetup
{
    public static MySqlStorage Prepare(MySqlTestDatabase db, MySqlStorageOptions? options = null)
    {
        var storage = db.CreateStorage(options);
        ExecutionLog.CreateTable(db.ConnectionString);
        FetchAudit.Install(db);
        return storage;
    }

    /// <summary>A unique tag per test run: the execution rows of this run, whatever else shares the database.</summary>
    public static string NewTag(string test) => $"{test}-{Guid.NewGuid():N}"[..Math.Min(test.Length + 9, 100)];
}
