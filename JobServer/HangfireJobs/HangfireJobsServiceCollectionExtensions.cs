using Microsoft.Extensions.DependencyInjection.Extensions;

namespace JobServer.HangfireJobs;

public static class HangfireJobsServiceCollectionExtensions
{
    /// <summary>
    /// Registers the shipped Hangfire jobs for <c>AspNetCoreJobActivator</c> (transient: a job instance per run) and what
    /// they need: <see cref="ApiDataDatabase"/> on <paramref name="apiDataConnectionString"/>, the HTTP client of
    /// <see cref="HttpAggregateJob"/>, <see cref="TimeProvider"/>. The <c>JobStorage</c> they report progress to comes
    /// from Hangfire's own registration (<c>AddHangfire</c>) or the caller's.
    /// </summary>
    public static IServiceCollection AddHangfireJobs(this IServiceCollection services, string apiDataConnectionString)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(new ApiDataDatabase(apiDataConnectionString));
        services.AddHttpClient(HttpAggregateJob.HttpClientName, HttpAggregateJob.ConfigureClient);
        services.AddTransient<SleepJob>();
        services.AddTransient<FailJob>();
        services.AddTransient<CpuJob>();
        services.AddTransient<HttpAggregateJob>();
        services.AddTransient<BulkInsertJob>();
        services.AddTransient<DailyReportJob>();
        return services;
    }
}
