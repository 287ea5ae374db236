using System.Collections.Concurrent;
using Hangfire.Server;

namespace JobServer.Tests.HangfireJobs;

/// <summary>A server filter that records when a job's method has returned or thrown on the test's server: a signal
/// to wait for ("the job has stopped running"), instead of guessing with a sleep.</summary>
internal sealed class PerformedJobs : IServerFilter
{
    private readonly ConcurrentDictionary<string, Exception?> _performed = new();

    public void OnPerforming(PerformingContext context)
    {
    }

    public void OnPerformed(PerformedContext context) => _performed[context.BackgroundJob.Id] = context.Exception;

    public bool HasPerformed(string jobId) => _performed.ContainsKey(jobId);

    public Exception? ExceptionOf(string jobId) => _performed.TryGetValue(jobId, out var exception) ? exception : null;
}
