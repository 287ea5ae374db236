namespace JobServer.Jobs;

/// <summary>
/// A chunk this run meant to load is already in the ledger: another run of the same job id committed it after this
/// run read the ledger. Only a second run racing the first gets here (a run after a crash skips committed chunks), so
/// this run stops before loading a byte of it. The job's retry, once the other run is done, finds every chunk committed.
/// </summary>
public sealed class ChunkAlreadyCommittedException(long jobId, int chunkNo, Exception inner)
    : InvalidOperationException($"Chunk {chunkNo} of job {jobId} is already in the ledger: another run of this job committed it. This run stops without loading it.", inner)
{
    public long JobId { get; } = jobId;

    public int ChunkNo { get; } = chunkNo;
}
