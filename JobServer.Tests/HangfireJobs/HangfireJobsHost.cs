using System.Text.Json;
using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Common;
using Hangfire.States;
using Hangfire.Storage;
using JobServer.Jobs;
using JobServer.Storage.MySql;
using JobServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;

namespace JobServer.Tests.HangfireJobs;

/// <summary>
/// Our Hangfire storage on the test database, the jobs resolved from a real ServiceCollection through Hangfire.AspNetCore's
/// activator, and real <see cref="BackgroundJobServer"/>s. Jobs are created through <see cref="JobTypes"/>, as
/// the HTTP layer will, so every test also proves the registry's jobs survive Hangfire's serialization.
/// </summary>
internal sealed class HangfireJobsHost : IDisposable
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private readonly ServiceProvider _services;
    private readonly List<BackgroundJobServer> _servers = [];

    private readonly string _connectionString;

    public HangfireJobsHost(TestDatabase database)
    {
        _connectionString = database.ConnectionString;
        Storage = new MySqlStorage(database.ConnectionString);
        _services = new ServiceCollection()
            .AddSingleton<JobStorage>(Storage)
            .AddShippedJobs(database.ConnectionString)
            .BuildServiceProvider();
        Client = new BackgroundJobClient(Storage);
    }

    public MySqlStorage Storage { get; }

    public BackgroundJobClient Client { get; }

    public PerformedJobs Performed { get; } = new();

    /// <summary>Starts a server on <paramref name="queues"/>; checks for deleted jobs every 100 ms (default 5 s) so
    /// cancellation tests wait for the job, not for the check.</summary>
    public BackgroundJobServer StartServer(string[]? queues = null, int workers = 4)
    {
        var server = new BackgroundJobServer(new BackgroundJobServerOptions
        {
            ServerName = "hangfire-jobs-test-" + Guid.NewGuid().ToString("N")[..6],
            Queues = queues ?? ["default", CpuJob.QueueName],
            WorkerCount = workers,
            Activator = new AspNetCoreJobActivator(_services.GetRequiredService<IServiceScopeFactory>()),
            FilterProvider = new JobFilterProviderCollection(JobFilterProviders.Providers, new JobFilterCollection { Performed }),
            CancellationCheckInterval = TimeSpan.FromMilliseconds(100),
            SchedulePollingInterval = TimeSpan.FromSeconds(1),
        }, Storage);
        _servers.Add(server);
        return server;
    }

    /// <summary>Creates a registered job type with <paramref name="args"/> (an anonymous object, sent as JSON).</summary>
    public string Create(string type, object args, IState? state = null)
    {
        Assert.True(JobTypes.TryCreateJob(type, JsonSerializer.SerializeToElement(args, Web), out var job, out var errors),
            string.Join("; ", errors.Select(e => $"{e.Field} {e.Message}")));
        return Client.Create(job, state ?? new EnqueuedState());
    }

    public StateData? State(string jobId)
    {
        using var connection = Storage.GetConnection();
        return connection.GetStateData(jobId);
    }

    public Task<StateData> WaitForStateAsync(string jobId, string state, TimeSpan? timeout = null) =>
        Eventually.UntilAsync(() => State(jobId)!, s => s?.Name == state, timeout ?? TimeSpan.FromSeconds(60), $"job {jobId} to be {state}");

    public Task WaitUntilPerformedAsync(string jobId, TimeSpan? timeout = null) =>
        Eventually.UntilAsync(() => Performed.HasPerformed(jobId), timeout ?? TimeSpan.FromSeconds(60), $"job {jobId} to stop running");

    /// <summary>The Succeeded state's result, as the JSON Hangfire stored.</summary>
    public static JsonElement ResultOf(StateData succeeded) => JsonDocument.Parse(succeeded.Data["Result"]).RootElement;

    public void Dispose()
    {
        foreach (var server in _servers)
        {
            server.SendStop();
        }

        foreach (var server in _servers)
        {
            server.Dispose();
        }

        _services.Dispose();
        Storage.Dispose();

        // Idle pooled connections would hold server slots for minutes (the test MariaDB is shared by every test run).
        MySqlConnection.ClearPool(new MySqlConnection(_connectionString));
        MySqlConnection.ClearPool(new MySqlConnection(new MySqlConnectionStringBuilder(_connectionString) { AllowLoadLocalInfile = true }.ConnectionString));
    }
}
