using JobServer.Concurrency;

namespace JobServer.Tests.ConcurrencyChild;

/// <summary>A keyed job that never finishes in the child process (it is killed there) and finishes at once elsewhere.</summary>
public sealed class KilledServerJobs
{
    /// <summary>Set in the child's environment: the job blocks there until the process dies.</summary>
    public const string BlockVariable = "JOBSERVER_CONCURRENCY_CHILD_BLOCK";

    [ConcurrencyLimit(Key = "killed:{0}")]
    public void Hold(string key, CancellationToken cancellationToken)
    {
        if (Environment.GetEnvironmentVariable(BlockVariable) == "1") cancellationToken.WaitHandle.WaitOne();
    }
}
