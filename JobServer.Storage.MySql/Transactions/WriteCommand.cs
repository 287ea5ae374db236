using MySqlConnector;

namespace JobServer.Storage.MySql.Transactions;

/// <summary>
/// The order in which a commit touches tables. Every transaction locks rows table by table in this order, and by key
/// within a table, so two concurrent commits can never each hold what the other waits for.
/// </summary>
internal enum TableOrder
{
    Job = 0,
    Queue = 1,
    Counter = 2,
    Hash = 3,
    List = 4,
    Set = 5,
}

/// <summary>One statement queued by a write transaction, with the table and key it locks.</summary>
internal sealed record WriteCommand(TableOrder Table, string Key, string Sql, MySqlParameter[] Parameters)
{
    /// <summary>For a plain one-row <c>INSERT … VALUES (…)</c>: the text up to VALUES. Adjacent inserts with the same
    /// head are sent as one multi-row INSERT (their parameters in column order).</summary>
    public string? RowInsertHead { get; init; }

    public static MySqlParameter P(string name, object? value) => new(name, value ?? DBNull.Value);

    /// <summary>Job ids sort as numbers, not as text.</summary>
    public static string JobKey(long jobId) => jobId.ToString("D20", System.Globalization.CultureInfo.InvariantCulture);
}
