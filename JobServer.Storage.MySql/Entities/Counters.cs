using Dapper;
using JobServer.Storage.MySql.Transactions;
using MySqlConnector;
using static JobServer.Storage.MySql.Transactions.WriteCommand;

namespace JobServer.Storage.MySql.Entities;

/// <summary>Counters: an increment appends a row (no hot row); the value sums raw and aggregated rows.</summary>
internal static class Counters
{
    private const string InsertHead = "INSERT INTO hf_counter (`key`, value, expire_at) VALUES ";
    private const string InsertSql = InsertHead + "(@key, @value, @expireAt)";

    public const string ValueSql = """
        SELECT COALESCE((SELECT SUM(value) FROM hf_counter WHERE `key` = @key), 0)
             + COALESCE((SELECT value FROM hf_aggregated_counter WHERE `key` = @key), 0)
        """;

    public static WriteCommand Add(string key, long value, DateTime? expireAt) =>
        new(TableOrder.Counter, key, InsertSql, [P("@key", key), P("@value", value), P("@expireAt", expireAt)]) { RowInsertHead = InsertHead };

    public static long Get(MySqlConnection c, string key) => c.ExecuteScalar<long>(ValueSql, new { key });
}
