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

    public async Task ExecuteAsync(BulkInsertArgs args, JobContext context)
    {
        var chunkSize = args.ChunkSize ?? DefaultChunkSize;
        var chunks = (int)((args.Rows + (long)chunkSize - 1) / chunkSize);
        var alreadyWritten = store.GetWrittenChunks(context.JobId);
        long done = alreadyWritten.Sum(chunk => (long)RowsIn(chunk, chunkSize, args.Rows));
        context.ReportProgress(done, args.Rows);

        var stopwatch = Stopwatch.StartNew();
        long insertedNow = 0;
        var pending = new Queue<BulkChunk>(Enumerable.Range(0, chunks)
            .Where(chunkNo => !alreadyWritten.Contains(chunkNo))
            .Select(chunkNo => new BulkChunk(context.JobId, chunkNo, args.Project, args.Name, (long)chunkNo * chunkSize + 1, RowsIn(chunkNo, chunkSize, args.Rows))));

        // Two-stage pipeline: the next chunk's file is written while the database loads the current one.
        var next = pending.Count > 0 ? Task.Run(() => store.Prepare(pending.Dequeue())) : null;
        try
        {
            while (next is not null)
            {
                using var current = await next;
                next = null;
                context.CancellationToken.ThrowIfCancellationRequested();
                next = pending.Count > 0 ? Task.Run(() => store.Prepare(pending.Dequeue())) : null;
                if (store.WriteChunk(current, time.GetUtcNow().UtcDateTime))
                {
                    insertedNow += current.Chunk.Count;
                }

                done += current.Chunk.Count;
                context.ReportProgress(done, args.Rows);
            }
        }
        finally
        {
            if (next is not null)
            {
                // Delete the file prepared for a chunk that will not be written now; a failure here would only
                // hide the error that got us here.
                try
                {
                    (await next).Dispose();
                }
                catch (Exception)
                {
                }
            }
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
    }

    private static int RowsIn(int chunkNo, int chunkSize, int rows) => (int)Math.Min(chunkSize, rows - (long)chunkNo * chunkSize);
}
