namespace JobServer.Jobs;

/// <summary>Chunk <see cref="ChunkNo"/> of a bulk insert: rows <see cref="FirstSeq"/> … <see cref="FirstSeq"/> +
/// <see cref="Count"/> − 1. A chunk is the unit of everything: one file, one transaction, one ledger row, one progress
/// step, the most a crash or a cancellation can leave unfinished.</summary>
internal sealed record BulkChunk(long JobId, int ChunkNo, long FirstSeq, int Count)
{
    public static int CountFor(int rows, int chunkSize) => (int)((rows + (long)chunkSize - 1) / chunkSize);

    public static BulkChunk For(long jobId, int chunkNo, int rows, int chunkSize)
    {
        var first = (long)chunkNo * chunkSize;
        return new BulkChunk(jobId, chunkNo, first + 1, (int)Math.Min(chunkSize, rows - first));
    }
}
