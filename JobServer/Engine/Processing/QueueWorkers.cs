namespace JobServer.Engine.Processing;

/// <summary>The worker slots of one queue on this server. Only the dispatcher takes slots; finishing jobs give them back.</summary>
internal sealed class QueueWorkers(string queue, int workers)
{
    private int _busy;

    public string Queue { get; } = queue;

    public int Workers { get; } = workers;

    public int Busy => Volatile.Read(ref _busy);

    public int Idle => Workers - Busy;

    /// <summary>The last claim filled every idle slot, so more jobs are probably waiting: a freed slot should fetch at once.</summary>
    public bool Backlogged { get; set; }

    public void Take() => Interlocked.Increment(ref _busy);

    public void Give() => Interlocked.Decrement(ref _busy);
}
