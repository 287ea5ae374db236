using Dapper;
using JobServer.Tests.Infrastructure;

namespace JobServer.Tests.Fuzz;

/// <summary>
/// A checksum of every table's content (CHECKSUM TABLE reads every row), to prove a refused request wrote nothing
/// anywhere: not a job, not a history row, not a lease, not a half of something rolled back too late.
/// </summary>
internal sealed class DatabaseFingerprint(TestDatabase database)
{
    private readonly Lazy<string> _tables = new(() =>
    {
        using var connection = database.Open();
        var names = connection.Query<string>(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' ORDER BY table_name");
        return string.Join(", ", names.Select(n => $"`{n}`"));
    });

    public IReadOnlyDictionary<string, string> Take()
    {
        using var connection = database.Open();
        return connection.Query($"CHECKSUM TABLE {_tables.Value}")
            .Select(row => (IDictionary<string, object?>)row)
            .ToDictionary(row => $"{row["Table"]}", row => $"{row["Checksum"]}");
    }

    /// <summary>The tables whose content differs, or an empty list.</summary>
    public static List<string> Changed(IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after) =>
        after.Where(table => before.GetValueOrDefault(table.Key) != table.Value).Select(table => table.Key[(table.Key.IndexOf('.') + 1)..]).ToList();
}
