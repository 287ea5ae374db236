using System.Data;
using Dapper;
using MySql.Data.MySqlClient;

namespace JobServer.Storage.MySql;

internal sealed class MySqlApiDataStore(MySqlDb db) : IApiDataStore
{
    public IReadOnlySet<int> GetWrittenChunks(long jobId) =>
        db.Run(connection => connection.Query<int>(ApiDataSql.SelectWrittenChunks, new { jobId }).ToHashSet());

    public PreparedChunk Prepare(BulkChunk chunk) => new PreparedChunkFile(chunk, ChunkFile.Write(chunk));

    public bool WriteChunk(PreparedChunk prepared, DateTime now)
    {
        var chunk = prepared.Chunk;
        var file = ((PreparedChunkFile)prepared).File;
        try
        {
            return db.InTransaction((connection, transaction) =>
            {
                connection.Execute(ApiDataSql.InsertLedger, new { jobId = chunk.JobId, chunkNo = chunk.ChunkNo, count = chunk.Count, now }, transaction);
                using var load = new MySqlCommand(ApiDataSql.LoadChunkFile(file.Path), connection, transaction) { CommandTimeout = 600 };
                var loaded = load.ExecuteNonQuery();
                if (loaded != chunk.Count)
                {
                    throw new InvalidOperationException($"Chunk {chunk.ChunkNo} of job {chunk.JobId}: loaded {loaded} rows, expected {chunk.Count}.");
                }

                return true;
            });
        }
        catch (MySqlException ex) when (ex.Number == 1062)
        {
            // Duplicate ledger key: this chunk is already committed by another run of the job.
            return false;
        }
    }

    private sealed class PreparedChunkFile(BulkChunk chunk, ChunkFile file) : PreparedChunk(chunk)
    {
        public ChunkFile File { get; } = file;

        public override void Dispose() => File.Dispose();
    }

    public IReadOnlyList<ProjectRowCount> CountRowsByProject() =>
        db.Run(connection => connection.Query<ProjectRowCount>(ApiDataSql.CountRowsByProject).ToList());

    public long CountRows(string? project) =>
        db.Run(connection => connection.ExecuteScalar<long>(ApiDataSql.CountRows, new { p_project = project }, commandType: CommandType.StoredProcedure));
}
