namespace JobServer.Jobs;

/// <summary>What a running job knows about itself and how it talks back: progress, result, cancellation.</summary>
public sealed class JobContext(long jobId, int attempt, Action<long, long> reportProgress, CancellationToken cancellationToken)
{
    public long JobId { get; } = jobId;

    /// <summary>1 for the first run, 2 for the first retry, and so on.</summary>
    public int Attempt { get; } = attempt;

    /// <summary>Signalled when the job is deleted, times out, or its server shuts down (it is then requeued).</summary>
    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>Stored as the job's result (serialized to JSON) when the job succeeds.</summary>
    public object? Result { get; set; }

    /// <summary>Records progress visible in the API and dashboard while the job runs. Each call is one database write:
    /// report per chunk, not per item.</summary>
    public void ReportProgress(long done, long total) => reportProgress(done, total);
}
