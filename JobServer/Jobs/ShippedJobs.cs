using JobServer.Hosting;
using JobServer.Jobs.Builtin;
using JobServer.Jobs.BulkInsert;

namespace JobServer.Jobs;

/// <summary>The job types JobServer ships with, registered by <c>AddJobServer</c>.</summary>
public static class ShippedJobs
{
    public static IServiceCollection AddShippedJobs(this IServiceCollection services)
    {
        services.AddJob<SleepJob, SleepArgs>(SleepJob.TypeName);
        services.AddJob<BulkInsertJob, BulkInsertArgs>(BulkInsertJob.TypeName, o =>
        {
            o.MaxAttempts = 3;
            o.LimitConcurrency<BulkInsertArgs>(args => args.Project, limit: 1, OverLimit.Reject);
        });
        return services;
    }
}
