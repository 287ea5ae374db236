using JobServer.Hosting;
using JobServer.Jobs;
using JobServer.Jobs.Cpu;
using Microsoft.Extensions.DependencyInjection;

namespace JobServer.Tests.Jobs;

/// <summary>
/// The real <see cref="CpuJob"/>, held at its first progress report until the engine cancels it. Without the hold a
/// 50M sieve (a fraction of a second) could finish before a test's delete lands, and the test would prove nothing or
/// flake; with it, the job is mid-sieve when deleted, and must notice the cancellation to stop.
/// </summary>
public sealed class HeldCpuJob(CpuJob inner, CpuJobHold hold) : IJob<CpuArgs>
{
    public const string TypeName = "test-cpu-held";

    public static void Register(IServiceCollection services, CpuJobHold hold)
    {
        services.AddSingleton(hold);
        services.AddJob<HeldCpuJob, CpuArgs>(TypeName, o => o.Queue = CpuJob.QueueName);
    }

    public async Task ExecuteAsync(CpuArgs args, JobContext context)
    {
        var held = new JobContext(context.JobId, context.Attempt, (done, _) =>
        {
            if (hold.Held.TrySetResult(done))
            {
                // Blocking is the point: the sieve cannot move on until the job is cancelled (or the deadline passes,
                // after which it would finish and the test fail).
                context.CancellationToken.WaitHandle.WaitOne(TimeSpan.FromSeconds(15));
            }
        }, context.CancellationToken);
        try
        {
            await inner.ExecuteAsync(args, held);
            context.Result = held.Result;
        }
        catch (OperationCanceledException)
        {
            hold.Cancelled.TrySetResult();
            throw;
        }
    }
}
