using System.Text.Json;
using JobServer.Engine.Scheduling;
using JobServer.Engine.States;

namespace JobServer.Api;

public sealed record RecurringJobResponse(
    string Id,
    string Cron,
    string Description,
    string TimeZone,
    string Type,
    JsonElement Args,
    string Queue,
    string Misfire,
    bool Paused,
    DateTime? NextRunAt,
    IReadOnlyList<DateTime> NextOccurrences,
    DateTime? LastRunAt,
    long? LastJobId,
    JobState? LastJobState);

internal static class RecurringContractMapping
{
    public static RecurringJobResponse ToResponse(this RecurringJobView view)
    {
        var (info, definition) = (view.Info, view.Info.Definition);
        return new RecurringJobResponse(
            definition.Id,
            definition.Cron,
            view.Description,
            definition.TimeZone,
            definition.Type,
            StoredJson.ToElement(definition.ArgsJson),
            definition.Queue,
            JsonNamingPolicy.CamelCase.ConvertName(definition.Misfire.ToString()),
            info.Paused,
            info.Paused ? null : info.NextRunAt,
            view.NextOccurrences,
            info.LastRunAt,
            info.LastJobId,
            info.LastJobState);
    }
}
