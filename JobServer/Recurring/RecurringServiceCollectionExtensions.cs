using JobServer.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace JobServer.Recurring;

internal static class RecurringServiceCollectionExtensions
{
    /// <summary>The recurring jobs of <c>JobServer:Recurring</c> (checked at start, written by a start-up step) and
    /// <see cref="RecurringJobs"/> for the API.</summary>
    public static IServiceCollection AddRecurringJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<RecurringJobs>();
        services.AddOptions<RecurringConfiguration>()
            .Configure(o => o.Load(configuration.GetSection(RecurringConfiguration.SectionName)))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<RecurringConfiguration>, RecurringConfiguration.Validation>();
        services.AddSingleton<IStartupStep, RecurringConfigurationStep>();
        return services;
    }
}
