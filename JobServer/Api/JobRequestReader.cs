using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using JobServer.Engine;
using JobServer.Engine.Client;

namespace JobServer.Api;

/// <summary>
/// Reads the body of <c>POST /api/jobs</c>: <c>{"type", "args"?, "queue"?, "delay"? | "runAt"? | "after"?,
/// "continueOn"?}</c>. Every field is
/// checked for presence, JSON kind and range; the first fault is reported by name. Arguments are checked later,
/// against the job type, by the client. The parts every job-creating body shares (known fields only, queue,
/// delay | runAt) are open to the other creating endpoints, so they answer alike.
/// </summary>
internal static partial class JobRequestReader
{
    private static readonly HashSet<string> KnownFields = ["type", "args", "queue", "delay", "runAt", "after", "continueOn"];

    public static JobRequest Read(JsonElement body, DateTimeOffset now)
    {
        RequireObjectOf(body, KnownFields);
        var type = RequiredString(body, "type", 100);
        var queue = ReadQueue(body);

        var argsJson = ReadArgs(body);

        var runAt = ReadRunAt(body, now);
        var (after, onAny) = ReadContinuation(body);
        if (after is not null && runAt is not null)
        {
            throw new JobValidationException("after", "a continuation runs when its parent ends; it cannot also have a delay or runAt");
        }

        return new JobRequest(type, argsJson, queue, runAt, after, onAny);
    }

    /// <summary>The optional <c>args</c> object as JSON; null when absent.</summary>
    internal static string? ReadArgs(JsonElement body)
    {
        if (!body.TryGetProperty("args", out var args) || args.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return args.ValueKind == JsonValueKind.Object ? args.GetRawText() : throw new JobValidationException("args", "must be a JSON object");
    }

    /// <summary>The optional <c>after</c> (parent job id) and <c>continueOn</c> ("success", the default, or "anyFinalState").</summary>
    private static (long? After, bool OnAnyFinalState) ReadContinuation(JsonElement body)
    {
        long? after = null;
        if (body.TryGetProperty("after", out var parent) && parent.ValueKind != JsonValueKind.Null)
        {
            if (parent.ValueKind != JsonValueKind.Number || !parent.TryGetInt64(out var id) || id <= 0)
            {
                throw new JobValidationException("after", "must be the id of an existing job (a positive whole number)");
            }

            after = id;
        }

        var continueOn = OptionalString(body, "continueOn", 20);
        if (continueOn is not null && after is null)
        {
            throw new JobValidationException("continueOn", "only applies together with after");
        }

        return continueOn switch
        {
            null or "success" => (after, false),
            "anyFinalState" => (after, true),
            _ => throw new JobValidationException("continueOn", "must be \"success\" or \"anyFinalState\""),
        };
    }

    /// <summary>The body is a JSON object whose every field is one of <paramref name="knownFields"/>; else names the first stranger.</summary>
    internal static void RequireObjectOf(JsonElement body, IReadOnlySet<string> knownFields)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new JobValidationException("body", "must be a JSON object");
        }

        foreach (var property in body.EnumerateObject())
        {
            if (!knownFields.Contains(property.Name))
            {
                throw new JobValidationException(property.Name, $"is not a known field; expected one of {string.Join(", ", knownFields)}");
            }
        }
    }

    /// <summary>The optional <c>queue</c> field; null means the job type's default queue.</summary>
    internal static string? ReadQueue(JsonElement body)
    {
        var queue = OptionalString(body, "queue", 50);
        if (queue is not null && !QueueName.IsValid(queue))
        {
            throw new JobValidationException("queue", "must be 1-50 characters of a-z, 0-9, '_' or '-'");
        }

        return queue;
    }

    /// <summary>The optional <c>delay</c> (from <paramref name="now"/>) or <c>runAt</c>, never both; null means run now.</summary>
    internal static DateTimeOffset? ReadRunAt(JsonElement body, DateTimeOffset now)
    {
        var delayText = OptionalString(body, "delay", 40);
        var runAtText = OptionalString(body, "runAt", 40);
        if (delayText is not null && runAtText is not null)
        {
            throw new JobValidationException("delay", "give either delay or runAt, not both");
        }

        if (delayText is not null)
        {
            if (!DelayFormat().IsMatch(delayText) || !TimeSpan.TryParseExact(delayText, "c", CultureInfo.InvariantCulture, out var delay))
            {
                throw new JobValidationException("delay", "must be a duration like \"00:05:00\" or \"1.00:00:00\"");
            }

            if (delay < TimeSpan.Zero || delay > JobClient.MaxScheduleAhead)
            {
                throw new JobValidationException("delay", "must be between 00:00:00 and 3650 days");
            }

            return now + delay;
        }

        if (runAtText is not null)
        {
            if (!RunAtFormat().IsMatch(runAtText)
                || !DateTimeOffset.TryParse(runAtText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var runAt))
            {
                throw new JobValidationException("runAt", "must be an ISO-8601 time like \"2030-01-31T12:00:00Z\"");
            }

            return runAt;
        }

        return null;
    }

    // The "c" format alone reads "30" as 30 days; require hh:mm:ss so a bare number cannot mean days by surprise.
    [GeneratedRegex(@"^-?([0-9]+\.)?[0-9]{1,2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,7})?\z")]
    private static partial Regex DelayFormat();

    // ISO-8601 only (date, optional time, optional Z or offset): TryParse alone also takes "01/02/2030", which
    // half the world reads as February.
    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,7})?)?(Z|[+-][0-9]{2}:[0-9]{2})?)?\z")]
    private static partial Regex RunAtFormat();

    internal static string RequiredString(JsonElement body, string name, int maxLength) =>
        OptionalString(body, name, maxLength) ?? throw new JobValidationException(name, "is required");

    internal static string? OptionalString(JsonElement body, string name, int maxLength)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw new JobValidationException(name, $"must be a string, not {value.ValueKind.ToString().ToLowerInvariant()}");
        }

        var text = value.GetString()!;
        if (text.Length == 0 || text.Length > maxLength)
        {
            throw new JobValidationException(name, $"must be 1-{maxLength} characters");
        }

        return text;
    }
}
