using Hangfire;
using JobServer.Hosting;
using Microsoft.Extensions.Options;

namespace JobServer.Recurring;

/// <summary>
/// Writes the recurring jobs of <see cref="RecurringConfiguration"/> with Hangfire's <c>AddOrUpdate</c> before this
/// process's servers start. Every server does this at every start; Hangfire keeps one definition per id, so that is
/// harmless, and a changed definition takes effect when the first server with the new configuration starts. A job
/// paused through the API stays paused. A definition removed from configuration is left as it is: the database may be
/// shared with servers still configured with it, and a job created through the API or in code must not vanish because
/// configuration does not name it. Delete it with <c>DELETE /api/recurring/{id}</c> or on the dashboard.
/// </summary>
internal sealed partial class RecurringConfigurationStep(
    IOptions<RecurringConfiguration> configuration,
    RecurringJobs recurring,
    ILogger<RecurringConfigurationStep> logger) : IStartupStep
{
    public Task RunAsync(CancellationToken cancellationToken)
    {
        // Checked at host start already (ValidateOnStart); checked again here so a failure can never write half.
        var (valid, problems) = configuration.Value.Check(recurring.TimeZones);
        if (problems.Count > 0) throw new OptionsValidationException(RecurringConfiguration.SectionName, typeof(RecurringConfiguration), problems);

        foreach (var definition in valid)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var created = recurring.AddOrUpdate(definition);
            LogDefined(logger, definition.Id, definition.Cron, definition.Options.TimeZone.Id, created ? "created" : "updated");
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Recurring job {Id} ({Cron}, {TimeZone}) {Change} from configuration.")]
    private static partial void LogDefined(ILogger logger, string id, string cron, string timeZone, string change);
}
