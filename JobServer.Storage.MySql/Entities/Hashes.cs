using Dapper;
using JobServer.Storage.MySql.Transactions;
using MySqlConnector;
using static JobServer.Storage.MySql.Transactions.WriteCommand;

namespace JobServer.Storage.MySql.Entities;

/// <summary>hf_hash: field/value maps (recurring job definitions, …).</summary>
internal static class Hashes
{
    private const string UpsertSql = """
        INSERT INTO hf_hash (`key`, field, value)
        VALUES (@key, @field, @value)
        ON DUPLICATE KEY UPDATE value = @value
        """;

    private const string DeleteAllSql = "DELETE FROM hf_hash WHERE `key` = @key";
    private const string ExpireSql = "UPDATE hf_hash SET expire_at = @expireAt WHERE `key` = @key";
    private const string PersistSql = "UPDATE hf_hash SET expire_at = NULL WHERE `key` = @key";
    private const string SelectAllSql = "SELECT field, value FROM hf_hash WHERE `key` = @key";
    private const string SelectValueSql = "SELECT value FROM hf_hash WHERE `key` = @key AND field = @field";
    private const string CountSql = "SELECT COUNT(*) FROM hf_hash WHERE `key` = @key";
    private const string MinExpireSql = "SELECT MIN(expire_at) FROM hf_hash WHERE `key` = @key";

    /// <summary>One upsert per field, sorted by field so that concurrent writers lock fields in one order.</summary>
    public static IEnumerable<WriteCommand> SetRange(string key, IEnumerable<KeyValuePair<string, string?>> pairs) =>
        pairs.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => new WriteCommand(TableOrder.Hash, key, UpsertSql, [P("@key", key), P("@field", p.Key), P("@value", p.Value)]));

    public static WriteCommand RemoveAll(string key) => new(TableOrder.Hash, key, DeleteAllSql, [P("@key", key)]);

    public static WriteCommand Expire(string key, DateTime expireAt) =>
        new(TableOrder.Hash, key, ExpireSql, [P("@key", key), P("@expireAt", expireAt)]);

    public static WriteCommand Persist(string key) => new(TableOrder.Hash, key, PersistSql, [P("@key", key)]);

    public static Dictionary<string, string>? GetAll(MySqlConnection c, string key)
    {
        var entries = c.Query<(string Field, string? Value)>(SelectAllSql, new { key }).ToDictionary(e => e.Field, e => e.Value!);
        return entries.Count == 0 ? null : entries;
    }

    public static string? GetValue(MySqlConnection c, string key, string field) =>
        c.QuerySingleOrDefault<string?>(SelectValueSql, new { key, field });

    public static long Count(MySqlConnection c, string key) => c.ExecuteScalar<long>(CountSql, new { key });

    public static DateTime? MinExpireAt(MySqlConnection c, string key) => c.ExecuteScalar<DateTime?>(MinExpireSql, new { key });
}
