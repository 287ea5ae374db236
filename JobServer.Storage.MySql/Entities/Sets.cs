using Dapper;
using JobServer.Storage.MySql.Transactions;
using MySqlConnector;
using static JobServer.Storage.MySql.Transactions.WriteCommand;

namespace JobServer.Storage.MySql.Entities;

/// <summary>hf_set: sorted sets (schedule, retries, recurring-jobs, …). Ties in score are broken by value.</summary>
internal static class Sets
{
    private const string UpsertSql = """
        INSERT INTO hf_set (`key`, value, score)
        VALUES (@key, @value, @score)
        ON DUPLICATE KEY UPDATE score = @score
        """;

    private const string DeleteSql = "DELETE FROM hf_set WHERE `key` = @key AND value = @value";
    private const string DeleteAllSql = "DELETE FROM hf_set WHERE `key` = @key";
    private const string ExpireSql = "UPDATE hf_set SET expire_at = @expireAt WHERE `key` = @key";
    private const string PersistSql = "UPDATE hf_set SET expire_at = NULL WHERE `key` = @key";

    private const string SelectAllSql = "SELECT value FROM hf_set WHERE `key` = @key ORDER BY score, value";

    private const string SelectLowestSql = """
        SELECT value
        FROM hf_set
        WHERE `key` = @key AND score BETWEEN @from AND @to
        ORDER BY score, value
        LIMIT @count
        """;

    private const string CountSql = "SELECT COUNT(*) FROM hf_set WHERE `key` = @key";

    private const string CountLimitedSql = """
        SELECT COUNT(*)
        FROM (SELECT 1 FROM hf_set WHERE `key` IN @keys LIMIT @limit) limited
        """;

    private const string ContainsSql = "SELECT EXISTS (SELECT 1 FROM hf_set WHERE `key` = @key AND value = @value)";

    private const string SelectRangeSql = """
        SELECT value
        FROM hf_set
        WHERE `key` = @key
        ORDER BY score, value
        LIMIT @count OFFSET @start
        """;

    private const string MinExpireSql = "SELECT MIN(expire_at) FROM hf_set WHERE `key` = @key";

    public static WriteCommand Add(string key, string value, double score) =>
        new(TableOrder.Set, key, UpsertSql, [P("@key", key), P("@value", value), P("@score", score)]);

    public static WriteCommand Remove(string key, string value) =>
        new(TableOrder.Set, key, DeleteSql, [P("@key", key), P("@value", value)]);

    public static WriteCommand RemoveAll(string key) => new(TableOrder.Set, key, DeleteAllSql, [P("@key", key)]);

    public static WriteCommand Expire(string key, DateTime expireAt) =>
        new(TableOrder.Set, key, ExpireSql, [P("@key", key), P("@expireAt", expireAt)]);

    public static WriteCommand Persist(string key) => new(TableOrder.Set, key, PersistSql, [P("@key", key)]);

    public static HashSet<string> GetAll(MySqlConnection c, string key) => c.Query<string>(SelectAllSql, new { key }).ToHashSet();

    public static List<string> GetLowest(MySqlConnection c, string key, double from, double to, int count) =>
        c.Query<string>(SelectLowestSql, new { key, from, to, count }).ToList();

    public static long Count(MySqlConnection c, string key) => c.ExecuteScalar<long>(CountSql, new { key });

    public static long Count(MySqlConnection c, IEnumerable<string> keys, int limit) =>
        c.ExecuteScalar<long>(CountLimitedSql, new { keys = keys.ToArray(), limit });

    public static bool Contains(MySqlConnection c, string key, string value) => c.ExecuteScalar<bool>(ContainsSql, new { key, value });

    public static List<string> GetRange(MySqlConnection c, string key, int start, int end) =>
        end < start ? [] : c.Query<string>(SelectRangeSql, new { key, start, count = end - start + 1 }).ToList();

    public static DateTime? MinExpireAt(MySqlConnection c, string key) => c.ExecuteScalar<DateTime?>(MinExpireSql, new { key });
}
