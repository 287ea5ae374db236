using System.Text.Json;
using Hangfire;
using Hangfire.Common;
using Hangfire.Storage;
using JobServer.Jobs;

namespace JobServer.Recurring;

/// <summary>One recurring job as Hangfire stores it (<see cref="RecurringJobDto"/> and its hash), read for an answer:
/// the registered type and arguments behind its job, its schedule (the one it returns to when paused) and what it
/// last did. <see cref="Type"/> is null for a job added in code with a method that is not a registered type.</summary>
public sealed record RecurringJobView(
    string Id,
    string Cron,
    string TimeZone,
    string? Type,
    JsonElement Args,
    string? Queue,
    MisfireHandlingMode Misfire,
    bool Paused,
    DateTime? NextExecution,
    IReadOnlyList<DateTime> NextOccurrences,
    DateTime? LastExecution,
    string? LastJobId,
    string? LastJobState,
    DateTime? CreatedAt,
    string? Error)
{
    public const int ShownOccurrences = 5;

    private static readonly JsonElement NoArgs = JsonSerializer.SerializeToElement(new { });

    internal static RecurringJobView From(RecurringJobDto dto, IReadOnlyDictionary<string, string> hash, ITimeZoneResolver resolver, DateTime nowUtc)
    {
        var paused = RecurringPause.IsPaused(hash);
        var cron = paused ? hash[RecurringPause.PausedCronField] : dto.Cron ?? "";
        var zoneId = string.IsNullOrEmpty(dto.TimeZoneId) ? TimeZoneInfo.Utc.Id : dto.TimeZoneId;
        var zone = RecurringSchedule.TryResolveTimeZone(resolver, zoneId, out _);
        var misfire = hash.TryGetValue("Misfire", out var stored) && Enum.TryParse<MisfireHandlingMode>(stored, out var mode) ? mode : MisfireHandlingMode.Relaxed;
        var job = dto.Job;
        return new RecurringJobView(
            dto.Id,
            cron,
            zoneId,
            job is null ? null : JobTypes.All.FirstOrDefault(t => t.Method == job.Method)?.Name,
            ArgumentsOf(hash),
            job?.Queue ?? (dto.Queue is { Length: > 0 } legacy && legacy != "default" ? legacy : null),
            misfire,
            paused,
            dto.NextExecution,
            paused || zone is null ? [] : RecurringSchedule.NextOccurrences(cron, zone, nowUtc, ShownOccurrences),
            dto.LastExecution,
            dto.LastJobId,
            dto.LastJobState,
            dto.CreatedAt,
            dto.Error ?? dto.LoadException?.InnerException?.Message ?? dto.LoadException?.Message);
    }

    /// <summary>The first argument as stored (Hangfire keeps each argument as its own JSON text in the payload), so the
    /// answer shows exactly what the job will get; <c>{}</c> when there is none.</summary>
    private static JsonElement ArgumentsOf(IReadOnlyDictionary<string, string> hash)
    {
        if (!hash.TryGetValue("Job", out var payload) || string.IsNullOrWhiteSpace(payload)) return NoArgs;
        try
        {
            var arguments = InvocationData.DeserializePayload(payload).Arguments;
            if (string.IsNullOrEmpty(arguments)) return NoArgs;
            using var array = JsonDocument.Parse(arguments);
            if (array.RootElement.ValueKind != JsonValueKind.Array || array.RootElement.GetArrayLength() == 0) return NoArgs;
            var first = array.RootElement[0];
            return first.ValueKind == JsonValueKind.String ? Api.StoredJson.ToElement(first.GetString()!) : first.Clone();
        }
        catch (Exception ex) when (ex is JsonException or JobLoadException or InvalidOperationException)
        {
            return NoArgs;
        }
    }
}
