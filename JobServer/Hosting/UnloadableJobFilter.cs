using Hangfire.Common;
using Hangfire.States;

namespace JobServer.Hosting;

/// <summary>
/// A job that cannot be loaded — its type or method is missing, or not on <see cref="AllowedJobTypes"/> — fails for
/// good, with the load error (which names the type) as its reason. Hangfire fails such a job with the bare inner
/// exception and "target method was not found", and its retry filter would then try it ten more times. This filter
/// runs first and wraps the error in a <see cref="JobLoadException"/>, which the retry filter skips (its
/// <c>ExceptOn</c>, see <see cref="HangfireDefaults"/>): retrying cannot help until other code is deployed, and then
/// the job can be requeued.
/// </summary>
internal sealed class UnloadableJobFilter : JobFilterAttribute, IElectStateFilter
{
    public UnloadableJobFilter() => Order = 0;

    public void OnStateElection(ElectStateContext context)
    {
        // A loaded job always has its Job; only Hangfire's load-failure path elects Failed for a job without one.
        if (context.BackgroundJob.Job is not null) return;
        if (context.CandidateState is not FailedState { Exception: { } error } || error is JobLoadException) return;

        context.CandidateState = new FailedState(new JobLoadException("The job cannot be loaded: " + error.Message, error))
        {
            Reason = "The job cannot be loaded: " + error.Message,
        };
    }
}
