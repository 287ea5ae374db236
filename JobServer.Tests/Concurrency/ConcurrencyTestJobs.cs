using Hangfire;
using Hangfire.Server;
using JobServer.Concurrency;

namespace JobServer.Tests.Concurrency;

/// <summary>Keyed jobs for the concurrency scenarios. <c>Fail</c> shares <c>Reject</c>'s key template, so a failing job
/// and a plain one compete for the same key.</summary>
public sealed class ConcurrencyTestJobs
{
    [ConcurrencyLimit(Key = "reject:{0}")]
    public void Reject(string key, bool gated, PerformContext context, CancellationToken cancellationToken) =>
        ConcurrencyProbe.For(key).Run(context.BackgroundJob.Id, gated, cancellationToken);

    [ConcurrencyLimit(Key = "reject:{0}")]
    [AutomaticRetry(Attempts = 2, DelaysInSeconds = [0])]
    public void Fail(string key, PerformContext context, CancellationToken cancellationToken) =>
        ConcurrencyProbe.For(key).Run(context.BackgroundJob.Id, gated: true, cancellationToken, fail: true);

    [ConcurrencyLimit(Key = "wait:{0}", Mode = ConcurrencyLimitMode.Wait)]
    public void Wait(string key, bool gated, PerformContext context, CancellationToken cancellationToken) =>
        ConcurrencyProbe.For(key).Run(context.BackgroundJob.Id, gated, cancellationToken);

    [ConcurrencyLimit(Key = "pair:{0.Project}", Limit = 2, Mode = ConcurrencyLimitMode.Wait)]
    public void Pair(PairArgs args, PerformContext context, CancellationToken cancellationToken) =>
        ConcurrencyProbe.For(args.Project).Run(context.BackgroundJob.Id, gated: true, cancellationToken);
}

/// <summary>A typed argument like the bulk insert's: the key comes from one of its properties.</summary>
public sealed class PairArgs
{
    public string Project { get; set; } = "";
}
