using Hangfire;

namespace JobServer.Bench;

/// <summary>
/// The benchmark's job: does nothing but tell <see cref="JobProbe"/> that it ran, so a case can count runs, catch a
/// job run twice and time enqueue → start on the clock of this machine. On JobServer's type allow-list
/// (<see cref="BenchHangfire.Configure"/>), as any job class of an application must be.
/// </summary>
public sealed class NoopJob
{
    /// <summary>Job number <paramref name="n"/> of a backlog.</summary>
    public void Run(int n) => JobProbe.Ran(n);

    /// <summary>Fails at once and stays Failed (no retries): the failed jobs of a seeded history.</summary>
    [AutomaticRetry(Attempts = 0, LogEvents = false)]
    public void Fail(int n) => throw new InvalidOperationException($"bench job {n} failed on purpose");

    /// <summary>A job enqueued at <paramref name="enqueuedAtUtcTicks"/> (<see cref="DateTime.UtcNow"/> just before the
    /// enqueue call, in whichever process made it).</summary>
    public void Timed(long enqueuedAtUtcTicks) => JobProbe.Started(enqueuedAtUtcTicks);
}
