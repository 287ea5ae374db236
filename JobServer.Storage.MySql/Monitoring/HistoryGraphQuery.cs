using System.Globalization;
using Dapper;
using MySqlConnector;

namespace JobServer.Storage.MySql.Monitoring;

/// <summary>
/// The home page's graphs: per-day and per-hour counters that Hangfire's StatisticsHistory filter writes as
/// <c>stats:{type}:yyyy-MM-dd</c> and <c>stats:{type}:yyyy-MM-dd-HH</c>. All keys of one graph are read in one
/// query over both counter tables (raw rows not yet aggregated count too); a key without rows is zero.
/// </summary>
internal static class HistoryGraphQuery
{
    private const string Sql = """
        SELECT c.`key` AS `Key`, CAST(SUM(c.value) AS SIGNED) AS Value
        FROM (
            SELECT `key`, value
            FROM hf_counter
            WHERE `key` IN @keys
            UNION ALL
            SELECT `key`, value
            FROM hf_aggregated_counter
            WHERE `key` IN @keys
        ) c
        GROUP BY c.`key`
        """;

    /// <summary>Today and the six days before it, newest first, keyed by midnight UTC.</summary>
    public static Dictionary<DateTime, long> Daily(MySqlConnection connection, string type, DateTime utcNow, int timeoutSeconds)
    {
        var today = utcNow.Date;
        var points = Enumerable.Range(0, 7).Select(i => today.AddDays(-i));
        return Read(connection, points, date => $"stats:{type}:{date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}", timeoutSeconds);
    }

    /// <summary>This hour and the 23 before it, newest first, keyed by now minus whole hours as Hangfire's storages do.</summary>
    public static Dictionary<DateTime, long> Hourly(MySqlConnection connection, string type, DateTime utcNow, int timeoutSeconds)
    {
        var points = Enumerable.Range(0, 24).Select(i => utcNow.AddHours(-i));
        return Read(connection, points, time => $"stats:{type}:{time.ToString("yyyy-MM-dd-HH", CultureInfo.InvariantCulture)}", timeoutSeconds);
    }

    private static Dictionary<DateTime, long> Read(MySqlConnection connection, IEnumerable<DateTime> points,
        Func<DateTime, string> keyOf, int timeoutSeconds)
    {
        var keyed = points.Select(point => (Point: point, Key: keyOf(point))).ToList();
        var values = connection.Query<(string Key, long Value)>(Sql, new { keys = keyed.Select(k => k.Key).ToArray() }, commandTimeout: timeoutSeconds)
            .ToDictionary(row => row.Key, row => row.Value, StringComparer.Ordinal);
        var result = new Dictionary<DateTime, long>(keyed.Count);
        foreach (var (point, key) in keyed)
            result[point] = values.GetValueOrDefault(key);
        return result;
    }
}
