using Dapper;
using JobServer.Storage.MySql.Transactions;
using MySqlConnector;
using static JobServer.Storage.MySql.Transactions.WriteCommand;

namespace JobServer.Storage.MySql.Entities;

/// <summary>hf_list: the newest item (highest id) is index 0, as Hangfire's other storages order lists.</summary>
internal static class Lists
{
    private const string InsertSql = "INSERT INTO hf_list (`key`, value) VALUES (@key, @value)";
    private const string DeleteValueSql = "DELETE FROM hf_list WHERE `key` = @key AND value = @value";

    // The derived table is materialized first, so MySQL lets the DELETE read the table it deletes from.
    private const string TrimSql = """
        DELETE FROM hf_list
        WHERE `key` = @key AND id NOT IN (
          SELECT id FROM (
            SELECT id FROM hf_list WHERE `key` = @key ORDER BY id DESC LIMIT @count OFFSET @start
          ) kept)
        """;

    private const string DeleteAllSql = "DELETE FROM hf_list WHERE `key` = @key";
    private const string ExpireSql = "UPDATE hf_list SET expire_at = @expireAt WHERE `key` = @key";
    private const string PersistSql = "UPDATE hf_list SET expire_at = NULL WHERE `key` = @key";
    private const string SelectAllSql = "SELECT value FROM hf_list WHERE `key` = @key ORDER BY id DESC";

    private const string SelectRangeSql = """
        SELECT value
        FROM hf_list
        WHERE `key` = @key
        ORDER BY id DESC
        LIMIT @count OFFSET @start
        """;

    private const string CountSql = "SELECT COUNT(*) FROM hf_list WHERE `key` = @key";
    private const string MinExpireSql = "SELECT MIN(expire_at) FROM hf_list WHERE `key` = @key";

    public static WriteCommand Insert(string key, string? value) => new(TableOrder.List, key, InsertSql, [P("@key", key), P("@value", value)]);

    public static WriteCommand Remove(string key, string? value) => new(TableOrder.List, key, DeleteValueSql, [P("@key", key), P("@value", value)]);

    /// <summary>Keeps indexes keepStartingFrom…keepEndingAt (newest first); a negative start counts from index 0.</summary>
    public static WriteCommand Trim(string key, int keepStartingFrom, int keepEndingAt) =>
        TrimClamped(key, Math.Max(0, keepStartingFrom), keepEndingAt);

    private static WriteCommand TrimClamped(string key, int keepStartingFrom, int keepEndingAt) => keepEndingAt < keepStartingFrom
        ? new(TableOrder.List, key, DeleteAllSql, [P("@key", key)])
        : new(TableOrder.List, key, TrimSql, [P("@key", key), P("@start", keepStartingFrom), P("@count", keepEndingAt - keepStartingFrom + 1)]);

    public static WriteCommand Expire(string key, DateTime expireAt) =>
        new(TableOrder.List, key, ExpireSql, [P("@key", key), P("@expireAt", expireAt)]);

    public static WriteCommand Persist(string key) => new(TableOrder.List, key, PersistSql, [P("@key", key)]);

    public static List<string> GetAll(MySqlConnection c, string key) => c.Query<string>(SelectAllSql, new { key }).ToList();

    public static List<string> GetRange(MySqlConnection c, string key, int start, int end) =>
        end < start ? [] : c.Query<string>(SelectRangeSql, new { key, start, count = end - start + 1 }).ToList();

    public static long Count(MySqlConnection c, string key) => c.ExecuteScalar<long>(CountSql, new { key });

    public static DateTime? MinExpireAt(MySqlConnection c, string key) => c.ExecuteScalar<DateTime?>(MinExpireSql, new { key });
}
