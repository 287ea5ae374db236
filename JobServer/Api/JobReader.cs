using System.Globalization;
using System.Text.Json;
using Hangfire;
using Hangfire.States;
using Hangfire.Storage;
using Hangfire.Storage.Monitoring;
using JobServer.Jobs;

namespace JobServer.Api;

/// <summary>
/// A job as the API shows it, read through Hangfire's monitoring API (<see cref="IMonitoringApi.JobDetails"/>: the
/// job, its parameters and its whole history in one round trip) plus one look-up per continuation.
/// </summary>
internal static class JobReader
{
    private static readonly HashSet<string> FinalStates = new(StringComparer.OrdinalIgnoreCase)
    {
        SucceededState.StateName, FailedState.StateName, DeletedState.StateName,
    };

    /// <summary>The job, or null when <paramref name="id"/> names none (also when it is not a number).</summary>
    public static JobResponse? Get(JobStorage storage, string id, bool withContinuations = true)
    {
        if (!TryParseId(id, out var numericId))
        {
            return null;
        }

        var details = storage.GetMonitoringApi().JobDetails(id);
        if (details is null)
        {
            return null;
        }

        // Hangfire lists the history newest first; the API tells it in the order it happened.
        var history = (details.History ?? []).Reverse().ToList();
        var current = history.LastOrDefault();
        var properties = details.Properties ?? new Dictionary<string, string>();

        var continuations = withContinuations ? Continuations(storage, properties) : [];
        return new JobResponse(
            numericId,
            JobNames.Of(details.Job, details.InvocationData?.Type),
            Arguments(details),
            QueueOf(details, history),
            current?.StateName ?? "Created",
            history.Count(h => IsState(h, ProcessingState.StateName)),
            details.CreatedAt ?? DateTime.MinValue,
            history.LastOrDefault(h => IsState(h, ProcessingState.StateName))?.CreatedAt,
            current is not null && FinalStates.Contains(current.StateName) ? current.CreatedAt : null,
            Progress(properties),
            Result(current),
            history.Select(ToResponse).ToList(),
            ParentId(history),
            continuations);
    }

    public static bool TryParseId(string? id, out long value) =>
        long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value > 0;

    private static bool IsState(StateHistoryDto state, string name) => string.Equals(state.StateName, name, StringComparison.OrdinalIgnoreCase);

    private static HistoryResponse ToResponse(StateHistoryDto state)
    {
        var data = state.Data ?? new Dictionary<string, string>();
        var failed = IsState(state, FailedState.StateName);
        return new HistoryResponse(
            state.StateName,
            state.CreatedAt,
            Value(data, "ServerId") ?? Value(data, "ServerName"),
            state.Reason,
            failed ? new ExceptionResponse(Value(data, "ExceptionType"), Value(data, "ExceptionMessage"), Value(data, "ExceptionDetails")) : null);
    }

    /// <summary>The registered type's argument object as stored; for a job from elsewhere, every argument in order.</summary>
    private static JsonElement Arguments(JobDetailsDto details)
    {
        var stored = ArgumentList(details.InvocationData?.Arguments);
        var type = JobNames.RegisteredType(details.Job);
        if (type is not null)
        {
            var index = Array.FindIndex(type.Method.GetParameters(), p => p.ParameterType == type.ArgumentsType);
            if (index >= 0 && index < stored.Count && stored[index] is { } args)
            {
                return StoredJson.ToElement(args);
            }
        }

        return JsonSerializer.SerializeToElement(stored.Select(a => a is null ? (JsonElement?)null : StoredJson.ToElement(a)).ToList());
    }

    /// <summary>Hangfire stores arguments as a JSON array of JSON texts, one per parameter.</summary>
    private static List<string?> ArgumentList(string? arguments)
    {
        if (string.IsNullOrEmpty(arguments))
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize<List<string?>>(arguments) ?? [];
        }
        catch (JsonException)
        {
            return [arguments];
        }
    }

    /// <summary>The queue the job was last put on, by Hangfire's rule: the Enqueued state's queue unless it is "default"
    /// and the job carries its own (Job.Queue); before any Enqueued state, the job's own queue or "default".</summary>
    private static string QueueOf(JobDetailsDto details, List<StateHistoryDto> history)
    {
        var own = details.Job?.Queue ?? details.InvocationData?.Queue;
        var enqueued = history.LastOrDefault(h => IsState(h, EnqueuedState.StateName)) is { } state ? Value(state.Data, "Queue") : null;
        return enqueued is not null && (own is null || !string.Equals(enqueued, EnqueuedState.DefaultQueue, StringComparison.OrdinalIgnoreCase))
            ? enqueued
            : own ?? EnqueuedState.DefaultQueue;
    }

    private static ProgressResponse? Progress(IDictionary<string, string> properties) =>
        JobProgress.Parse(Value(properties, JobProgress.ParameterName)) is { } progress ? new ProgressResponse(progress.Done, progress.Total) : null;

    private static JsonElement? Result(StateHistoryDto? current) =>
        current is not null && IsState(current, SucceededState.StateName) && Value(current.Data, "Result") is { } result
            ? StoredJson.ToElement(result)
            : null;

    private static long? ParentId(List<StateHistoryDto> history) =>
        history.FirstOrDefault(h => IsState(h, AwaitingState.StateName)) is { } awaiting
        && TryParseId(Value(awaiting.Data, "ParentId"), out var parent)
            ? parent
            : null;

    /// <summary>Hangfire keeps a parent's continuations in its "Continuations" parameter: <c>[{"JobId": "8", "Options": 1}]</c>.</summary>
    private static List<JobLinkResponse> Continuations(JobStorage storage, IDictionary<string, string> properties)
    {
        if (Value(properties, "Continuations") is not { } json)
        {
            return [];
        }

        var ids = new List<string>();
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in document.RootElement.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("JobId", out var jobId) && jobId.ValueKind == JsonValueKind.String)
                    {
                        ids.Add(jobId.GetString()!);
                    }
                }
            }
        }
        catch (JsonException)
        {
            return [];
        }

        using var connection = storage.GetConnection();
        var links = new List<JobLinkResponse>();
        foreach (var id in ids)
        {
            if (TryParseId(id, out var numeric) && connection.GetJobData(id) is { } data)
            {
                links.Add(new JobLinkResponse(numeric, JobNames.Of(data.Job), data.State ?? "Created"));
            }
        }

        return links;
    }

    private static string? Value(IDictionary<string, string>? data, string key) =>
        data is not null && data.TryGetValue(key, out var value) ? value : null;
}
