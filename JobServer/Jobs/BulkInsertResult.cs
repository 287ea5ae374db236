namespace JobServer.Jobs;

/// <summary>Stored in the Succeeded state of a <see cref="BulkInsertJob"/>.</summary>
/// <param name="ResumedChunks">Chunks an earlier run of this job had committed, skipped by this one.</param>
/// <param name="InsertedRows">Rows this run loaded (<c>rows</c> minus what earlier runs committed).</param>
/// <param name="ProjectRows">Rows of the project after the job, by <c>selectCountData</c>.</param>
public sealed record BulkInsertResult(
    int Rows, int Chunks, int ChunkSize, int ResumedChunks, long InsertedRows, double Seconds, double RowsPerSecond, long ProjectRows);
