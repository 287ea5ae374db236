namespace JobServer.Engine.Processing;

/// <summary>
/// An auto-reset wake-up call for one waiting loop. <see cref="Set"/> never blocks and is never lost: a call made
/// while the loop is busy makes its next wait return at once.
/// </summary>
internal sealed class AsyncSignal
{
    private TaskCompletionSource _current = NewSource();

    public void Set() => Volatile.Read(ref _current).TrySetResult();

    /// <summary>Waits for <see cref="Set"/> or the timeout; true when signalled. Consumes the signal.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var source = Volatile.Read(ref _current);
        if (!source.Task.IsCompleted && timeout > TimeSpan.Zero)
        {
            using var delayCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            await Task.WhenAny(source.Task, Task.Delay(timeout, time, delayCts.Token)).ConfigureAwait(false);
            await delayCts.CancelAsync().ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }

        if (!source.Task.IsCompleted)
        {
            return false;
        }

        // Only the waiter resets, and only the source it saw completed: a Set after this point lands on the new one.
        Interlocked.CompareExchange(ref _current, NewSource(), source);
        return true;
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
