using Microsoft.Extensions.DependencyInjection.Extensions;

namespace JobServer.Jobs;

public static class ShippedJobsServiceCollectionExtensions
{
    /// <summary>
    /// Registers the shipped Hangfire jobs for <c>AspNetCoreJobActivator</c> (transient: a job instance per run) and what
    /// they need: <see cref="ApiDataDatabase"/> on <paramref name="apiDataConnectionString"/>, the HTTP client of
    /// <see cref="HttpAggregateJob"/>, <see cref="TimeProvider"/>. The <c>JobStorage</c> they report progress to comes
    /// from Hangfire's own registration (<c>AddHangfire</c>) or the caller's.
    /// </summary>
    public static IServiceCollection AddShippedJobs(this IServiceCollection services, string apiDataConnectionString) =>
        services.AddShippedJobs(_ => apiDataConnectionString);

    /// <summary>The same with the connection string read when the jobs' database is first needed (a host's
    /// configuration may still change between registration and start, as a test host's does).</summary>
    public static IServiceCollection AddShippedJobs(this IServiceCollection services, Func<IServiceProvider, string> apiDataConnectionString)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new ApiDataDatabase(apiDataConnectionString(sp)));
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
