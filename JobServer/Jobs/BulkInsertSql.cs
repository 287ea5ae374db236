namespace JobServer.Jobs;

/// <summary>The bulk insert's statements on <c>api_data</c> and its ledger <c>api_data_chunk</c> (sql/app/001).</summary>
internal static class BulkInsertSql
{
    public const string SelectCommittedChunks = """
        SELECT chunk_no
        FROM api_data_chunk
        WHERE job_id = @jobId
        """;

    // First statement of the chunk's transaction: a second run of the same job waits here on the row lock, then fails
    // on the key once the first commits, before it has loaded any row.
    public const string InsertLedgerRow = """
        INSERT INTO api_data_chunk (job_id, chunk_no, row_count, written_at)
        VALUES (@jobId, @chunkNo, @count, @now)
        """;

    /// <summary>GROUP BY on the leading column of the (project, job_id) index: one step per project, not per row.</summary>
    public const string ListProjects = """
        SELECT project FROM api_data GROUP BY project ORDER BY project LIMIT @limit
        """;

    public const string CountProjectRows = """
        CALL selectCountData(@project)
        """;

    public const string Table = "api_data";

    public static readonly string[] Columns = ["name", "project", "job_id", "seq"];
}
