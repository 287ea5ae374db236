using MySqlConnector;

namespace JobServer.Jobs;

/// <summary>MySqlConnector's bulk loader set up for the chunk files <see cref="BulkChunkFile"/> writes (tab-separated,
/// backslash escapes, utf8mb4, the api_data columns): the job, its tests and the benchmark's raw baseline load the same
/// format the same way.</summary>
internal static class ApiDataLoader
{
    /// <summary>A <c>LOAD DATA LOCAL INFILE</c> of <paramref name="rows"/> into api_data, in the connection's current
    /// transaction. The rows come from the stream; the statement carries no file name of ours.</summary>
    public static MySqlBulkLoader For(MySqlConnection connection, Stream rows)
    {
        var loader = new MySqlBulkLoader(connection)
        {
            SourceStream = rows,
            Local = true,
            TableName = BulkInsertSql.Table,
            CharacterSet = "utf8mb4",
            FieldTerminator = "\t",
            LineTerminator = "\n",
            EscapeCharacter = '\\',
            Timeout = 600,
        };
        loader.Columns.AddRange(BulkInsertSql.Columns);
        return loader;
    }
}
