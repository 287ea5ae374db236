namespace JobServer.Tests.Jobs;

/// <summary>What a <see cref="HeldCpuJob"/> went through, for the test to await.</summary>
public sealed class CpuJobHold
{
    /// <summary>Completed with the progress (numbers sieved) at the first report, where the job is being held.</summary>
    public TaskCompletionSource<long> Held { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completed when the real job stopped by throwing <see cref="OperationCanceledException"/>.</summary>
    public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
