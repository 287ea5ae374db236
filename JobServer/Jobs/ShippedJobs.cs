using JobServer.Hosting;
using JobServer.Jobs.Builtin;
using JobServer.Jobs.BulkInsert;
using JobServer.Jobs.Cpu;
using JobServer.Jobs.HttpAggregate;
using JobServer.Jobs.Report;

namespace JobServer.Jobs;

/// <summary>The job types JobServer ships with, registered by <c>AddJobServer</c>.</summary>
public static class ShippedJobs
{
    public static IServiceCollection AddShippedJobs(this IServiceCollection services)
    {
        services.AddJob<SleepJob, SleepArgs>(SleepJob.TypeName);
        services.AddJob<FailJob, FailJobArgs>(FailJob.TypeName, o => o.MaxAttempts = 1);
        services.AddJob<BulkInsertJob, BulkInsertArgs>(BulkInsertJob.TypeName, o =>
        {
            o.MaxAttempts = 3;
            o.LimitConcurrency<BulkInsertArgs>(args => args.Project, limit: 1, OverLimit.Reject);
        });
        services.AddHttpClient(HttpAggregateJob.HttpClientName, HttpAggregateJob.ConfigureClient);
        services.AddJob<HttpAggregateJob, HttpAggregateArgs>(HttpAggregateJob.TypeName);
        services.AddJob<CpuJob, CpuArgs>(CpuJob.TypeName, o => o.Queue = CpuJob.QueueName);
        services.AddJob<DailyReportJob, DailyReportArgs>(DailyReportJob.TypeName);
        return services;
    }
}
