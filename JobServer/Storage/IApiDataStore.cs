namespace JobServer.Storage;

/// <summary>One chunk of a bulk insert: rows <see cref="FirstSeq"/> … <see cref="FirstSeq"/> + <see cref="Count"/> − 1.</summary>
public sealed record BulkChunk(long JobId, int ChunkNo, string Project, string Name, long FirstSeq, int Count);

public sealed record ProjectRowCount(string Project, long Rows);

/// <summary>A chunk rendered and ready to load; owns its temporary file.</summary>
public abstract class PreparedChunk(BulkChunk chunk) : IDisposable
{
    public BulkChunk Chunk { get; } = chunk;

    public abstract void Dispose();
}

/// <summary>The <c>api_data</c> table of the bulk-insert workload.</summary>
public interface IApiDataStore
{
    /// <summary>The chunks of a job already committed (ledger), so a resumed job skips them.</summary>
    IReadOnlySet<int> GetWrittenChunks(long jobId);

    /// <summary>Renders a chunk's rows for loading (to a file: memory stays flat). Thread-safe, so the next chunk
    /// can be prepared while the current one loads. Dispose what is not written.</summary>
    PreparedChunk Prepare(BulkChunk chunk);

    /// <summary>Writes a prepared chunk's rows and its ledger row in one transaction; false (and nothing written)
    /// when the ledger already has it — another run of the same job got there first.</summary>
    bool WriteChunk(PreparedChunk chunk, DateTime now);

    /// <summary>Rows in <c>api_data</c>, for one project or all, through the <c>selectCountData</c> procedure.</summary>
    long CountRows(string? project);

    /// <summary>Rows per project, by project name (read from the project index, not the table).</summary>
    IReadOnlyList<ProjectRowCount> CountRowsByProject();
}
