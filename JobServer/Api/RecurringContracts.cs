using System.Globalization;
using System.Text.Json;
using JobServer.Recurring;

namespace JobServer.Api;

/// <summary>A recurring job as the API shows it. <c>cron</c> is the schedule the job runs on, or returns to when
/// <c>paused</c>; <c>nextExecution</c> is Hangfire's (null while paused), <c>nextOccurrences</c> the cron's next five
/// from now; <c>type</c> is null for a job defined in code with a method that is not a registered type. Times are UTC.</summary>
public sealed record RecurringJobResponse(
    string Id,
    string Cron,
    string TimeZone,
    string? Type,
    JsonElement Args,
    string? Queue,
    string Misfire,
    bool Paused,
    DateTime? NextExecution,
    IReadOnlyList<DateTime> NextOccurrences,
    DateTime? LastExecution,
    long? LastJobId,
    string? LastJobState,
    DateTime? CreatedAt,
    string? Error);

/// <summary>The answer to a trigger: the job created now (its Location is <c>/api/jobs/{jobId}</c>).</summary>
public sealed record RecurringTriggerResponse(long JobId, string RecurringJobId);

internal static class RecurringContractMapping
{
    public static RecurringJobResponse ToResponse(this RecurringJobView view) => new(
        view.Id,
        view.Cron,
        view.TimeZone,
        view.Type,
        view.Args,
        view.Queue,
        JsonNamingPolicy.CamelCase.ConvertName(view.Misfire.ToString()),
        view.Paused,
        Utc(view.NextExecution),
        view.NextOccurrences.Select(t => Utc(t)!.Value).ToList(),
        Utc(view.LastExecution),
        long.TryParse(view.LastJobId, NumberStyles.None, CultureInfo.InvariantCulture, out var jobId) ? jobId : null,
        view.LastJobState,
        Utc(view.CreatedAt),
        view.Error);

    /// <summary>Hangfire stores UTC; the kind it reads back with is made explicit, so JSON ends in Z.</summary>
    private static DateTime? Utc(DateTime? time) => time switch
    {
        null => null,
        { Kind: DateTimeKind.Local } local => local.ToUniversalTime(),
        { } t => DateTime.SpecifyKind(t, DateTimeKind.Utc),
    };
}
