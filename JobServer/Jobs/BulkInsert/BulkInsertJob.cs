using System.Diagnostics;
using JobServer.Storage;

namespace JobServer.Jobs.BulkInsert;

/// <summary>
/// Inserts <c>rows</c> rows into <c>api_data</c> in chunks, each chunk one LOAD DATA LOCAL INFILE committed together
/// with its ledger row. Exactly-once effect under at-least-once execution: a run that follows a crash (or a second
/// run racing the first) skips or is refused every chunk already in the ledger, so the table ends with exactly
/// <c>rows</c> rows for the job. Cancellable between chunks; reports progress after each.
/// </summary>
public sealed class BulkInsertJob(IApiDataStore store, TimeProvider time) : IJob<BulkInsertArgs>
{
    public const string TypeName = "bulk-insert";

    /// <summary>Large enough that per-chunk costs (commit, ledger, progress) vanish next to the load, small enough that
    /// a crash costs seconds, progress moves often, and the chunk file stays a few MB.</summary>
    public const int DefaultChunkSize = 100_000;

    public Task ExecuteAsync(BulkInsertArgs args, JobContext context)
    {
        var chunkSize = args.ChunkSize ?? DefaultChunkSize;
        var chunks = (int)((args.Rows + (long)chunkSize - 1) / chunkSize);
        var alreadyWritten = store.GetWrittenChunks(context.JobId);
        long done = alreadyWritten.Sum(chunk => (long)RowsIn(chunk, chunkSize, args.Rows));
        context.ReportProgress(done, args.Rows);

        var stopwatch = Stopwatch.StartNew();
        long insertedNow = 0;
        for (var chunkNo = 0; chunkNo < chunks; chunkNo++)
        {
            if (alreadyWritten.Contains(chunkNo))
            {
                continue;
            }

            context.CancellationToken.ThrowIfCancellationRequested();
            var count = RowsIn(chunkNo, chunkSize, args.Rows);
            var chunk = new BulkChunk(context.JobId, chunkNo, args.Project, args.Name, (long)chunkNo * chunkSize + 1, count);
            if (store.WriteChunk(chunk, time.GetUtcNow().UtcDateTime))
            {
                insertedNow += count;
            }

            done += count;
            context.ReportProgress(done, args.Rows);
        }

        var seconds = stopwatch.Elapsed.TotalSeconds;
        context.Result = new
        {
            rows = args.Rows,
            chunks,
            chunkSize,
            resumedChunks = alreadyWritten.Count,
            insertedRows = insertedNow,
            seconds = Math.Round(seconds, 3),
            rowsPerSecond = seconds > 0 ? Math.Round(insertedNow / seconds) : 0,
        };
        return Task.CompletedTask;
    }

    private static int RowsIn(int chunkNo, int chunkSize, int rows) => (int)Math.Min(chunkSize, rows - (long)chunkNo * chunkSize);
}
