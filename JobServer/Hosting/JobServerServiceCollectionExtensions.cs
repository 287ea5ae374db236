using JobServer.Api;
using JobServer.Dashboard;
using JobServer.Engine;
using JobServer.Engine.Client;
using JobServer.Engine.Maintenance;
using JobServer.Engine.Processing;
using JobServer.Engine.Scheduling;
using JobServer.Jobs;
using JobServer.Storage;
using JobServer.Storage.MySql;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace JobServer.Hosting;

public static class JobServerServiceCollectionExtensions
{
    public const string ConnectionStringName = "JobServer";

    /// <summary>
    /// Adds the engine, its MySQL storage, the client, the built-in job types and the dashboard's services, configured
    /// from the <c>JobServer</c> section and the <c>JobServer</c> connection string.
    /// </summary>
    public static IServiceCollection AddJobServer(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<JobServerOptions>()
            .Bind(configuration.GetSection(JobServerOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => o.EffectiveQueues().Select(q => q.Name).Distinct().Count() == o.EffectiveQueues().Count, "JobServer:Queues names a queue twice.")
            .Validate(o => o.ServerTimeout > o.HeartbeatInterval * 2, "JobServer:ServerTimeout must exceed two heartbeat intervals.")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp =>
        {
            var connectionString = configuration.GetConnectionString(ConnectionStringName);
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new InvalidOperationException($"No connection string '{ConnectionStringName}': set ConnectionStrings:{ConnectionStringName} (or the ConnectionStrings__{ConnectionStringName} environment variable).");
            }

            return new MySqlDb(new MySqlConnectionFactory(connectionString));
        });
        services.AddSingleton<SchemaMigrator>();
        services.AddSingleton<IJobWriter, MySqlJobWriter>();
        services.AddSingleton<IJobQueue, MySqlJobQueue>();
        services.AddSingleton<IScheduleStore, MySqlScheduleStore>();
        services.AddSingleton<IServerStore, MySqlServerStore>();
        services.AddSingleton<IMaintenanceStore, MySqlMaintenanceStore>();
        services.AddSingleton<IJobReader, MySqlJobReader>();
        services.AddSingleton<IApiDataStore, MySqlApiDataStore>();
        services.AddSingleton<IRecurringStore, MySqlRecurringStore>();

        services.AddSingleton<JobTypeRegistry>();
        services.AddSingleton<EngineSignals>();
        services.AddSingleton<RunningJobs>();
        services.AddSingleton(sp => new ServerIdentity(
            sp.GetRequiredService<IOptions<JobServerOptions>>().Value.EffectiveServerName(),
            sp.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime));
        services.AddSingleton<PlainJobGroupCommit>();
        services.AddSingleton<IJobClient, JobClient>();
        services.AddSingleton<CronScheduleCache>();
        services.AddSingleton<RecurringJobManager>();
        services.AddSingleton<IRecurringJobManager>(sp => sp.GetRequiredService<RecurringJobManager>());
        services.AddSingleton<RecurringScheduler>();
        services.AddSingleton<RecurringJobSeeder>();

        services.AddSingleton<SuccessWriter>();
        services.AddSingleton<JobExecutor>();
        services.AddSingleton<JobDispatcher>();
        services.AddSingleton<ServerHeartbeat>();
        services.AddSingleton<LostClaimWatcher>();
        services.AddSingleton<ScheduledJobPromoter>();
        services.AddSingleton<DeadServerRecovery>();
        services.AddSingleton<JobExpiration>();
        services.AddSingleton<CounterAggregation>();
        services.AddSingleton(sp => new JobServerEngine(
            sp.GetRequiredService<JobDispatcher>(),
            sp.GetRequiredService<ServerHeartbeat>(),
            sp.GetRequiredService<LostClaimWatcher>(),
            sp.GetRequiredService<ScheduledJobPromoter>(),
            sp.GetRequiredService<RecurringScheduler>(),
            sp.GetRequiredService<DeadServerRecovery>(),
            sp.GetRequiredService<JobExpiration>(),
            sp.GetRequiredService<CounterAggregation>(),
            sp.GetRequiredService<RunningJobs>(),
            sp.GetRequiredService<IJobQueue>(),
            sp.GetRequiredService<IServerStore>(),
            sp.GetRequiredService<ServerIdentity>(),
            sp.GetRequiredService<IOptions<JobServerOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>()));
        services.AddHostedService(sp => new JobServerHostedService(
            sp.GetRequiredService<SchemaMigrator>(),
            sp.GetRequiredService<RecurringJobSeeder>(),
            sp.GetRequiredService<IOptions<JobServerOptions>>().Value.ProcessJobs ? sp.GetRequiredService<JobServerEngine>() : null,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<JobServerHostedService>>()));

        services.AddShippedJobs();
        services.AddJobServerDashboard(configuration);
        services.AddOptions<ApiAccessOptions>()
            .Bind(configuration.GetSection(ApiAccessOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => string.IsNullOrEmpty(o.Username) == string.IsNullOrEmpty(o.Password), "JobServer:Api needs both Username and Password, or neither.")
            .ValidateOnStart();
        services.AddAuthorization();
        return services;
    }

    /// <summary>Defines a recurring job in code; it is written to the database at start-up (created, or updated
    /// keeping its pause flag and next run). See <see cref="IRecurringJobManager"/> to change them at run time.</summary>
    public static IServiceCollection AddRecurringJob(this IServiceCollection services, string id, string cron, string type, object? args = null, RecurringJobOptions? options = null) =>
        services.AddSingleton(new RecurringJobSeed(id, cron, type, args, options));

    /// <summary>Registers a job type under a stable <paramref name="name"/> (stored with every job: never rename it
    /// while jobs of it exist). The handler is resolved from a fresh DI scope for every attempt.</summary>
    public static IServiceCollection AddJob<THandler, TArgs>(this IServiceCollection services, string name, Action<JobTypeOptions>? configure = null)
        where THandler : class, IJob<TArgs>
        where TArgs : class
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100)
        {
            throw new ArgumentException("A job type name must be 1-100 characters.", nameof(name));
        }

        var options = new JobTypeOptions();
        configure?.Invoke(options);
        if (!QueueName.IsValid(options.Queue))
        {
            throw new ArgumentException($"Job type '{name}' has an invalid default queue '{options.Queue}'.", nameof(configure));
        }

        if (options.Concurrency is { } limit && limit.ArgsType != typeof(TArgs))
        {
            throw new ArgumentException($"Job type '{name}' takes {typeof(TArgs).Name}, but its concurrency key reads {limit.ArgsType.Name}.", nameof(configure));
        }

        services.TryAddTransient<THandler>();
        services.AddSingleton(JobType.Create<THandler, TArgs>(name, options));
        return services;
    }
}
