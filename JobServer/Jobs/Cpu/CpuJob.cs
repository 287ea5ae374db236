namespace JobServer.Jobs.Cpu;

/// <summary>
/// Counts the primes below <c>n</c>: a CPU-bound example for the "cpu" queue, whose worker count defaults to one per core
/// (the mission's lesson: CPU-bound pools sized to the cores, I/O-bound pools larger). It never awaits, so it holds its
/// worker's thread for its whole run; it checks for cancellation every segment (a couple of milliseconds) and reports
/// progress about ten times on large inputs. Pure computation: safe to run again after a crash.
/// </summary>
public sealed class CpuJob(TimeProvider time) : IJob<CpuArgs>
{
    public const string TypeName = "cpu";

    /// <summary>The queue this type runs on unless the caller names another.</summary>
    public const string QueueName = "cpu";

    public Task ExecuteAsync(CpuArgs args, JobContext context)
    {
        var started = time.GetTimestamp();

        // Each progress report is a database write: about ten per job, none for inputs that fit one segment.
        var step = Math.Max(1, args.N / 10);
        long nextReport = step;
        var primes = PrimeSieve.CountBelow(args.N, context.CancellationToken, reached =>
        {
            if (reached >= nextReport && reached < args.N)
            {
                context.ReportProgress(reached, args.N);
                nextReport = reached + step;
            }
        });

        context.Result = new { n = args.N, primes, ms = (long)time.GetElapsedTime(started).TotalMilliseconds };
        return Task.CompletedTask;
    }
}
