namespace JobServer.HangfireJobs;

/// <summary>The bulk insert's statements. Its ledger is its own table (sql/006): Hangfire's job ids and the old engine's
/// both count from 1, so sharing <c>api_data_chunk</c> would let Hangfire job 7 skip the chunks old job 7 wrote.</summary>
internal static class BulkInsertSql
{
    public const string SelectCommittedChunks = """
        SELECT chunk_no
        FROM api_data_hangfire_chunk
        WHERE job_id = @jobId
        """;

    // First statement of the chunk's transaction: a second run of the same job waits here on the row lock, then fails
    // on the key once the first commits, before it has loaded any row.
    public const string InsertLedgerRow = """
        INSERT INTO api_data_hangfire_chunk (job_id, chunk_no, row_count, written_at)
        VALUES (@jobId, @chunkNo, @count, @now)
        """;

    public const string CountProjectRows = """
        CALL selectCountData(@project)
        """;

    public const string Table = "api_data";

    public static readonly string[] Columns = ["name", "project", "job_id", "seq"];
}
