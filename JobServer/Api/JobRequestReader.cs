using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hangfire;
using JobServer.Hosting;

namespace JobServer.Api;

/// <summary>
/// Reads the body of <c>POST /api/jobs</c>: <c>{"type", "args"?, "queue"?, "delay"? | "runAt"? | "after"?,
/// "continueOn"?}</c>. Every field is checked for presence, JSON kind and range; the first fault is thrown as an
/// <see cref="ApiFieldException"/> naming it. The arguments are judged later, by the job type. The parts every
/// job-creating body shares (known fields only, queue, delay | runAt) serve the other creating endpoints too.
/// </summary>
internal static partial class JobRequestReader
{
    /// <summary>Hangfire schedules by Unix seconds; ten years ahead is as far as any sane schedule goes.</summary>
    public static readonly TimeSpan MaxScheduleAhead = TimeSpan.FromDays(3650);

    private static readonly HashSet<string> KnownFields = ["type", "args", "queue", "delay", "runAt", "after", "continueOn"];

    public static JobRequest Read(JsonElement body, DateTimeOffset now)
    {
        RequireObjectOf(body, KnownFields);
        var type = RequiredString(body, "type", 100);
        var args = body.TryGetProperty("args", out var a) && a.ValueKind != JsonValueKind.Null ? a : default;
        if (args.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Object))
        {
            throw new ApiFieldException("args", "must be a JSON object");
        }

        var queue = ReadQueue(body);
        var runAt = ReadRunAt(body, now);
        var (after, continueOn) = ReadContinuation(body);
        if (after is not null && runAt is not null)
        {
            throw new ApiFieldException("after", "a continuation runs when its parent ends; it cannot also have a delay or runAt");
        }

        return new JobRequest(type, args, queue, runAt, after, continueOn);
    }

    private static (long? After, JobContinuationOptions ContinueOn) ReadContinuation(JsonElement body)
    {
        long? after = null;
        if (body.TryGetProperty("after", out var parent) && parent.ValueKind != JsonValueKind.Null)
        {
            if (parent.ValueKind != JsonValueKind.Number || !parent.TryGetInt64(out var id) || id <= 0)
            {
                throw new ApiFieldException("after", "must be the id of an existing job (a positive whole number)");
            }

            after = id;
        }

        var continueOn = OptionalString(body, "continueOn", 20);
        if (continueOn is not null && after is null)
        {
            throw new ApiFieldException("continueOn", "only applies together with after");
        }

        return continueOn switch
        {
            null or "success" => (after, JobContinuationOptions.OnlyOnSucceededState),
            "anyFinalState" => (after, JobContinuationOptions.OnAnyFinishedState),
            _ => throw new ApiFieldException("continueOn", "must be \"success\" or \"anyFinalState\""),
        };
    }

    /// <summary>The body is a JSON object whose every field is one of <paramref name="knownFields"/>; else names the first stranger.</summary>
    public static void RequireObjectOf(JsonElement body, IReadOnlySet<string> knownFields)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new ApiFieldException("body", "must be a JSON object");
        }

        foreach (var property in body.EnumerateObject())
        {
            if (!knownFields.Contains(property.Name))
            {
                throw new ApiFieldException(property.Name, $"is not a known field; expected one of {string.Join(", ", knownFields)}");
            }
        }
    }

    /// <summary>The optional <c>queue</c> field; null means the job type's queue.</summary>
    public static string? ReadQueue(JsonElement body)
    {
        var queue = OptionalString(body, "queue", 50);
        if (queue is not null && !ServerPoolOptions.IsValidQueueName(queue))
        {
            throw new ApiFieldException("queue", "must be 1-50 characters of a-z, 0-9, '_' or '-'");
        }

        return queue;
    }

    /// <summary>The optional <c>delay</c> (from <paramref name="now"/>) or <c>runAt</c>, never both; null means run now.</summary>
    public static DateTimeOffset? ReadRunAt(JsonElement body, DateTimeOffset now)
    {
        var delayText = OptionalString(body, "delay", 40);
        var runAtText = OptionalString(body, "runAt", 40);
        if (delayText is not null && runAtText is not null)
        {
            throw new ApiFieldException("delay", "give either delay or runAt, not both");
        }

        if (delayText is not null)
        {
            if (!DelayFormat().IsMatch(delayText) || !TimeSpan.TryParseExact(delayText, "c", CultureInfo.InvariantCulture, out var delay))
            {
                throw new ApiFieldException("delay", "must be a duration like \"00:05:00\" or \"1.00:00:00\"");
            }

            if (delay < TimeSpan.Zero || delay > MaxScheduleAhead)
            {
                throw new ApiFieldException("delay", "must be between 00:00:00 and 3650 days");
            }

            return now + delay;
        }

        if (runAtText is not null)
        {
            if (!RunAtFormat().IsMatch(runAtText)
                || !DateTimeOffset.TryParse(runAtText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var runAt))
            {
                throw new ApiFieldException("runAt", "must be an ISO-8601 time like \"2030-01-31T12:00:00Z\"");
            }

            if (runAt > now + MaxScheduleAhead)
            {
                throw new ApiFieldException("runAt", "must be at most 3650 days ahead");
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

    public static string RequiredString(JsonElement body, string name, int maxLength) =>
        OptionalString(body, name, maxLength) ?? throw new ApiFieldException(name, "is required");

    public static string? OptionalString(JsonElement body, string name, int maxLength)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw new ApiFieldException(name, $"must be a string, not {value.ValueKind.ToString().ToLowerInvariant()}");
        }

        var text = value.GetString()!;
        if (text.Length == 0 || text.Length > maxLength)
        {
            throw new ApiFieldException(name, $"must be 1-{maxLength} characters");
        }

        return text;
    }
}
