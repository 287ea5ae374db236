using System.ComponentModel;
using Hangfire;
using Hangfire.Server;

namespace JobServer.Jobs;

/// <summary>
/// Counts the primes below <c>n</c> (segmented sieve): the CPU-bound example, on the <c>cpu</c> queue whose server
/// runs about one worker per core (CPU-bound pools sized to the cores, I/O-bound pools larger). Synchronous on
/// purpose: it holds its worker's thread, as CPU work does, instead of borrowing a thread-pool thread behind
/// Hangfire's back. Checks cancellation every segment (a couple of milliseconds); reports progress about ten times on
/// large inputs. Pure computation: a retry could only fail the same way, and a re-run after a crash is harmless.
/// </summary>
public sealed class CpuJob(JobStorage storage, TimeProvider time)
{
    public const string TypeName = "cpu";

    public const string QueueName = "cpu";

    [Queue(QueueName)]
    [DisplayName("cpu: primes below {0}")]
    [AutomaticRetry(Attempts = 0)]
    public CpuResult Run(CpuArguments args, PerformContext? context, CancellationToken cancellationToken)
    {
        InvalidJobArgumentsException.ThrowIfInvalid(args);
        var started = time.GetTimestamp();
        var jobId = context?.BackgroundJob.Id;

        // Each report is one database write: about ten per job, none for inputs that fit one segment.
        var step = Math.Max(1, args.N / 10);
        long nextReport = step;
        var primes = PrimeSieve.CountBelow(args.N, cancellationToken, reached =>
        {
            if (jobId is not null && reached >= nextReport && reached < args.N)
            {
                JobProgress.Write(storage, jobId, reached, args.N);
                nextReport = reached + step;
            }
        });

        return new CpuResult(args.N, primes, (long)time.GetElapsedTime(started).TotalMilliseconds);
    }
}

/// <summary>Stored in the Succeeded state.</summary>
public sealed record CpuResult(int N, int Primes, long Ms);
