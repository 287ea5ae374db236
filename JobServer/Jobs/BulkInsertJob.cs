using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Dapper;
using Hangfire;
using Hangfire.Server;
using JobServer.Concurrency;
using MySqlConnector;

namespace JobServer.Jobs;

/// <summary>
/// Inserts <c>rows</c> rows into <c>api_data</c>, chunk by chunk, each chunk one LOAD DATA LOCAL INFILE committed in
/// one transaction with its ledger row <c>(job id, chunk no)</c>. Exactly-once effect under Hangfire's at-least-once
/// execution, keyed by the Hangfire job id: a run after a crash (or a retry) skips the chunks in the ledger, and a second
/// run racing the first fails on the ledger key before loading a byte. So the table ends with exactly <c>rows</c> rows
/// for the job, never more. Progress (<see cref="JobProgress"/>) after each chunk; cancellation (deletion, shutdown)
/// stops between chunks, never inside one.
/// </summary>
public sealed class BulkInsertJob(ApiDataDatabase database, JobStorage storage, TimeProvider time)
{
    public const string TypeName = "bulk-insert";

    /// <summary>Retries are safe (the ledger makes a retry finish the job, not repeat it) and worth it: a database
    /// restart or a lost connection fails one chunk, not the work already committed.</summary>
    /// <remarks>One bulk insert per project at a time, across every server on the database: a second one for a
    /// project whose load is queued or running is refused at creation (<see cref="Concurrency.ConcurrencyLimitReachedException"/>
    /// naming the job holding the key), and a recurring occurrence is skipped. The key is free again once the job
    /// succeeds, fails for good or is deleted.</remarks>
    [DisplayName("bulk-insert: {0}")]
    [AutomaticRetry(Attempts = 3)]
    [ConcurrencyLimit(Key = "bulk-insert:{0.Project}")]
    public Task<BulkInsertResult> Run(BulkInsertArguments args, PerformContext? context, CancellationToken cancellationToken)
    {
        var jobId = context?.BackgroundJob?.Id
            ?? throw new InvalidOperationException("The bulk insert runs only inside Hangfire: its job id keys the ledger.");
        return RunAsync(jobId, args, cancellationToken);
    }

    internal async Task<BulkInsertResult> RunAsync(string jobId, BulkInsertArguments args, CancellationToken cancellationToken)
    {
        InvalidJobArgumentsException.ThrowIfInvalid(args);
        var ledgerId = long.Parse(jobId, NumberStyles.None, CultureInfo.InvariantCulture);
        var chunkSize = args.EffectiveChunkSize;
        var chunkCount = BulkChunk.CountFor(args.Rows, chunkSize);

        var committed = await ReadCommittedChunksAsync(ledgerId).ConfigureAwait(false);
        var pending = new Queue<BulkChunk>(Enumerable.Range(0, chunkCount)
            .Where(chunkNo => !committed.Contains(chunkNo))
            .Select(chunkNo => BulkChunk.For(ledgerId, chunkNo, args.Rows, chunkSize)));
        long done = args.Rows - pending.Sum(chunk => (long)chunk.Count);
        JobProgress.Write(storage, jobId, done, args.Rows);

        var stopwatch = Stopwatch.StartNew();
        long inserted = 0;

        // Two-stage pipeline: the next chunk's file is written while the database loads the current one.
        var next = PrepareNext(pending, args);
        try
        {
            while (next is not null)
            {
                using var current = await next.ConfigureAwait(false);
                next = null;

                // Between chunks, the only place the job stops: what is committed is whole chunks, with their ledger rows.
                cancellationToken.ThrowIfCancellationRequested();
                next = PrepareNext(pending, args);
                await LoadChunkAsync(current).ConfigureAwait(false);
                inserted += current.Chunk.Count;
                done += current.Chunk.Count;
                JobProgress.Write(storage, jobId, done, args.Rows);
            }
        }
        finally
        {
            await DiscardAsync(next).ConfigureAwait(false);
        }

        var seconds = stopwatch.Elapsed.TotalSeconds;
        var projectRows = await CountProjectRowsAsync(args.Project).ConfigureAwait(false);
        return new BulkInsertResult(args.Rows, chunkCount, chunkSize, committed.Count, inserted,
            Math.Round(seconds, 3), seconds > 0 ? Math.Round(inserted / seconds) : 0, projectRows);
    }

    private static Task<BulkChunkFile>? PrepareNext(Queue<BulkChunk> pending, BulkInsertArguments args) =>
        pending.TryDequeue(out var chunk) ? Task.Run(() => BulkChunkFile.Write(chunk, args.Name, args.Project)) : null;

    /// <summary>One transaction: the ledger row first (so a racing run is refused before either loads), then the rows.
    /// Not cancellable: a chunk that started loading finishes, so cancellation never leaves part of one.</summary>
    private async Task LoadChunkAsync(BulkChunkFile file)
    {
        var chunk = file.Chunk;
        await using var connection = await database.OpenAsync().ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
        try
        {
            await connection.ExecuteAsync(BulkInsertSql.InsertLedgerRow,
                new { jobId = chunk.JobId, chunkNo = chunk.ChunkNo, count = chunk.Count, now = time.GetUtcNow().UtcDateTime }, transaction).ConfigureAwait(false);
        }
        catch (MySqlException ex) when (ex.ErrorCode == MySqlErrorCode.DuplicateKeyEntry)
        {
            throw new ChunkAlreadyCommittedException(chunk.JobId, chunk.ChunkNo, ex);
        }

        await using var rows = file.OpenRead();
        var loader = ApiDataLoader.For(connection, rows);
        var loaded = await loader.LoadAsync().ConfigureAwait(false);
        if (loaded != chunk.Count)
        {
            // Rolled back with the ledger row by the disposal of the transaction: the chunk stays to do.
            throw new InvalidOperationException($"Chunk {chunk.ChunkNo} of job {chunk.JobId}: loaded {loaded} rows, expected {chunk.Count}.");
        }

        await transaction.CommitAsync().ConfigureAwait(false);
    }

    private async Task<HashSet<int>> ReadCommittedChunksAsync(long ledgerId)
    {
        await using var connection = await database.OpenAsync().ConfigureAwait(false);
        return (await connection.QueryAsync<int>(BulkInsertSql.SelectCommittedChunks, new { jobId = ledgerId }).ConfigureAwait(false)).ToHashSet();
    }

    private async Task<long> CountProjectRowsAsync(string project)
    {
        await using var connection = await database.OpenAsync().ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>(BulkInsertSql.CountProjectRows, new { project }, commandTimeout: 600).ConfigureAwait(false);
    }

    /// <summary>Deletes the file prepared for a chunk that will not be loaded now. A failure here would only hide the
    /// error (or the cancellation) that got us here, so it is swallowed.</summary>
    private static async Task DiscardAsync(Task<BulkChunkFile>? prepared)
    {
        if (prepared is null)
        {
            return;
        }

        try
        {
            (await prepared.ConfigureAwait(false)).Dispose();
        }
        catch (Exception)
        {
        }
    }
}
