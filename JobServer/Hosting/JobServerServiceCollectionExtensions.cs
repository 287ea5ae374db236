using Hangfire;
using JobServer.Api;
using JobServer.Dashboard;
using JobServer.Jobs;
using JobServer.Recurring;
using JobServer.Storage.MySql;
using Microsoft.Extensions.Options;

namespace JobServer.Hosting;

public static class JobServerServiceCollectionExtensions
{
    public const string ConnectionStringName = "JobServer";

    /// <summary>
    /// Adds Hangfire on JobServer's MySQL storage (<c>ConnectionStrings:JobServer</c>), the shipped jobs, the Hangfire
    /// servers of <see cref="JobServerOptions.Servers"/> (started by <see cref="JobServerStartup"/> once the database
    /// answers) and what the dashboard and the API need, configured from the <c>JobServer</c> section.
    /// </summary>
    public static IServiceCollection AddJobServer(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<JobServerOptions>()
            .Bind(configuration.GetSection(JobServerOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<JobServerOptions>, JobServerOptionsValidation>();
        services.AddOptions<JobServerDashboardOptions>()
            .Bind(configuration.GetSection(JobServerDashboardOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => string.IsNullOrEmpty(o.Username) == string.IsNullOrEmpty(o.Password), "JobServer:Dashboard needs both Username and Password, or neither.")
            .ValidateOnStart();
        services.AddOptions<ApiAccessOptions>()
            .Bind(configuration.GetSection(ApiAccessOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => string.IsNullOrEmpty(o.Username) == string.IsNullOrEmpty(o.Password), "JobServer:Api needs both Username and Password, or neither.")
            .ValidateOnStart();

        // Registered before AddHangfire, whose TryAdd then keeps it: Hangfire's own registration would build the storage
        // inside the configuration callback, which touches the database, so a host started while MySQL is down would
        // not start at all. This one only connects when used; JobServerStartup installs the schema once MySQL answers.
        services.AddSingleton<JobStorage>(sp =>
        {
            var configurationInstance = sp.GetRequiredService<IGlobalConfiguration>();
            var options = sp.GetRequiredService<IOptions<JobServerOptions>>().Value;
            options.Storage.PrepareSchemaIfNecessary = false;
            var storage = new MySqlStorage(ConnectionString(configuration), options.Storage) { JobExpirationTimeout = options.SucceededRetention };
            // Hangfire's static API (BackgroundJob.Enqueue, RecurringJob.AddOrUpdate) uses the current storage.
            configurationInstance.UseStorage(storage);
            return storage;
        });
        services.AddSingleton(sp => (MySqlStorage)sp.GetRequiredService<JobStorage>());
        services.AddHangfire((sp, config) => config
            .UseLogProvider(new HostLogProvider(sp.GetRequiredService<ILoggerFactory>()))
            .UseJobServerDefaults()
            .UseJobProgressOnDashboard()
            .UseBulkInsertsPage());

        services.AddShippedJobs(_ => ConnectionString(configuration));
        services.AddRecurringJobs(configuration);
        services.AddHostedService<JobServerStartup>();
        services.AddAntiforgery();
        services.AddAuthorization();
        return services;
    }

    /// <summary>Read when first needed rather than at registration: a host's configuration may still change until it
    /// is built (a test host's does), and a missing string should fail the start, naming the setting.</summary>
    private static string ConnectionString(IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        return string.IsNullOrWhiteSpace(connectionString)
            ? throw new InvalidOperationException($"No connection string '{ConnectionStringName}': set ConnectionStrings:{ConnectionStringName} (or the ConnectionStrings__{ConnectionStringName} environment variable).")
            : connectionString;
    }

    /// <summary>Turns <see cref="JobServerOptions.Problems"/> into the start-up error, every key at fault named.</summary>
    private sealed class JobServerOptionsValidation : IValidateOptions<JobServerOptions>
    {
        public ValidateOptionsResult Validate(string? name, JobServerOptions options)
        {
            var problems = options.Problems().ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
