namespace JobServer.Storage;

/// <summary>One job of a batch was refused by storage, so the whole batch was: <see cref="Index"/> is its position in
/// the batch, <see cref="Exception.InnerException"/> the reason (<see cref="ConcurrencyLimitReachedException"/> or
/// <see cref="ContinuationParentException"/>).</summary>
public sealed class JobBatchItemException(int index, Exception inner) : Exception($"jobs[{index}]: {inner.Message}", inner)
{
    public int Index { get; } = index;
}
