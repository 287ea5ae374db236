namespace JobServer.Storage.MySql;

internal static class ApiDataSql
{
    public const string SelectWrittenChunks = """
        SELECT chunk_no
        FROM api_data_chunk
        WHERE job_id = @jobId
        """;

    // Taken first: a second run of the same job waits here, then fails on the key, before loading any row.
    public const string InsertLedger = """
        INSERT INTO api_data_chunk (job_id, chunk_no, row_count, written_at)
        VALUES (@jobId, @chunkNo, @count, @now)
        """;

    /// <summary>LOAD DATA takes no parameter for its file; the path is one this process generated (see ChunkFile).</summary>
    public static string LoadChunkFile(string path) => $"""
        LOAD DATA LOCAL INFILE '{path}'
        INTO TABLE api_data
        CHARACTER SET utf8mb4
        FIELDS TERMINATED BY '\t' ESCAPED BY '\\'
        LINES TERMINATED BY '\n'
        (name, project, job_id, seq)
        """;

    public const string CountRows = "selectCountData";

    // Grouped by the bytes: the column pads with spaces when it compares, which would merge 'p1' and 'p1 '. Within a
    // group every value is the same, so MIN is that value.
    public const string CountRowsByProject = """
        SELECT MIN(project) AS Project, COUNT(*) AS `Rows`
        FROM api_data
        GROUP BY CAST(project AS BINARY)
        ORDER BY Project
        """;
}
