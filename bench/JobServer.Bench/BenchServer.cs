using JobServer.Engine;
using JobServer.Engine.Client;
using JobServer.Engine.States;
using JobServer.Hosting;
using JobServer.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace JobServer.Bench;

/// <summary>A job server in the benchmark's process, wired exactly as the host wires it.</summary>
internal sealed class BenchServer : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private bool _started;

    private BenchServer(ServiceProvider services) => _services = services;

    public IJobClient Client => _services.GetRequiredService<IJobClient>();

    public IJobReader Reader => _services.GetRequiredService<IJobReader>();

    public static async Task<BenchServer> StartAsync(string connectionString, IDictionary<string, string?>? settings = null, bool start = true)
    {
        var values = new Dictionary<string, string?> { ["ConnectionStrings:JobServer"] = connectionString, ["JobServer:ServerName"] = "bench" };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection()
            .AddLogging(logging => logging.AddConsole().SetMinimumLevel(LogLevel.Warning))
            .AddSingleton<IConfiguration>(configuration)
            .AddJobServer(configuration)
            .BuildServiceProvider();
        if (start)
        {
            await services.GetRequiredService<JobServerEngine>().StartAsync();
        }

        return new BenchServer(services) { _started = start };
    }

    public async Task<JobDetails> WaitAsync(long id, JobState state, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var job = Reader.GetJob(id);
            if (job?.Summary.State == state)
            {
                return job;
            }

            if (job?.Summary.State is JobState.Failed or JobState.Deleted)
            {
                throw new InvalidOperationException($"Job {id} ended {job.Summary.State}: {job.History[^1].ExceptionMessage}");
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"Job {id} did not reach {state} within {timeout}.");
    }

    /// <summary>Waits until no job is in any other state than <paramref name="state"/>.</summary>
    public async Task WaitAllAsync(JobState state, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var states = Reader.GetStats().States;
            if (states.Where(s => s.Key != state && s.Key != JobState.Deleted).All(s => s.Value == 0))
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"Jobs did not all reach {state} within {timeout}.");
    }

    public async ValueTask DisposeAsync()
    {
        if (_started)
        {
            await _services.GetRequiredService<JobServerEngine>().StopAsync();
        }

        await _services.DisposeAsync();
    }
}
