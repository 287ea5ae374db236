using JobServer.Engine;
using JobServer.Engine.Scheduling;
using Microsoft.Extensions.Options;

namespace JobServer.Hosting;

/// <summary>A recurring job defined in code with <c>AddRecurringJob</c>, applied at start-up.</summary>
internal sealed record RecurringJobSeed(string Id, string Cron, string Type, object? Args, RecurringJobOptions? Options);

/// <summary>
/// Writes the recurring jobs defined in code and in configuration (<c>JobServer:Recurring</c>) to the database at
/// start-up. A definition that does not validate is logged and left out; it never stops the server.
/// </summary>
internal sealed partial class RecurringJobSeeder(
    IRecurringJobManager manager,
    IEnumerable<RecurringJobSeed> seeds,
    IOptions<JobServerOptions> options,
    IConfiguration configuration,
    ILogger<RecurringJobSeeder> logger)
{
    public void Apply()
    {
        foreach (var seed in seeds)
        {
            Try(seed.Id, "code", () => manager.AddOrUpdate(seed.Id, seed.Cron, seed.Type, seed.Args, seed.Options));
        }

        foreach (var (id, settings) in options.Value.Recurring)
        {
            var args = configuration.GetSection($"{JobServerOptions.SectionName}:Recurring:{id}:Args");
            var recurringOptions = new RecurringJobOptions { TimeZone = settings.TimeZone, Queue = settings.Queue, Misfire = settings.Misfire };
            Try(id, "configuration", () => manager.AddOrUpdateJson(id, settings.Cron, settings.Type, args.Exists() ? ConfigurationJson.ToJson(args) : null, recurringOptions));
        }
    }

    private void Try(string id, string source, Func<bool> apply)
    {
        try
        {
            LogApplied(logger, id, source, apply() ? "created" : "updated");
        }
        catch (JobValidationException ex)
        {
            LogInvalid(logger, id, source, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Recurring job {Id} from {Source} {Outcome}")]
    private static partial void LogApplied(ILogger logger, string id, string source, string outcome);

    [LoggerMessage(Level = LogLevel.Error, Message = "Recurring job {Id} from {Source} is invalid and was not applied: {Error}")]
    private static partial void LogInvalid(ILogger logger, string id, string source, string error);
}
