using Cronos;
using Hangfire;

namespace JobServer.Recurring;

/// <summary>
/// A recurring job's schedule read the way Hangfire 1.8's scheduler reads it, so what this accepts Hangfire runs and
/// what it refuses Hangfire would refuse: Cronos (the parser Hangfire merges in), five fields or six with seconds
/// first, or a macro such as <c>@daily</c>; the time zone found by <see cref="ITimeZoneResolver"/> (Hangfire's default
/// is <see cref="TimeZoneInfo.FindSystemTimeZoneById"/>).
/// </summary>
public static class RecurringSchedule
{
    public const int MaxCronLength = 100;

    private static readonly char[] FieldSeparators = [' ', '\t'];

    /// <summary>The parsed expression, or null with what is wrong, phrased for a caller.</summary>
    public static CronExpression? TryParseCron(string? cron, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(cron))
        {
            error = "is required: five fields (minute hour day month weekday), six with seconds first, or a macro such as @daily";
            return null;
        }

        if (cron.Length > MaxCronLength)
        {
            error = $"must be at most {MaxCronLength} characters";
            return null;
        }

        var format = CronFormat.Standard;
        if (!cron.StartsWith('@'))
        {
            var fields = cron.Split(FieldSeparators, StringSplitOptions.RemoveEmptyEntries).Length;
            if (fields == 6)
            {
                format |= CronFormat.IncludeSeconds;
            }
            else if (fields != 5)
            {
                error = $"has {fields} fields; Hangfire takes 5 (minute hour day month weekday) or 6 (seconds first)";
                return null;
            }
        }

        try
        {
            return CronExpression.Parse(cron, format);
        }
        catch (CronFormatException ex)
        {
            error = $"is not a valid cron expression ({ex.Message.TrimEnd('.')})";
            return null;
        }
    }

    /// <summary>The zone, or null with what is wrong. Null or empty <paramref name="timeZoneId"/> is UTC, Hangfire's default.</summary>
    public static TimeZoneInfo? TryResolveTimeZone(ITimeZoneResolver resolver, string? timeZoneId, out string? error)
    {
        error = null;
        if (timeZoneId is null) return TimeZoneInfo.Utc;
        if (string.IsNullOrWhiteSpace(timeZoneId) || timeZoneId.Length > 64)
        {
            error = "must be a time zone id such as \"Europe/Berlin\" or \"UTC\"";
            return null;
        }

        try
        {
            return resolver.GetTimeZoneById(timeZoneId);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            error = $"'{timeZoneId}' is not a time zone this server knows; use an IANA id such as \"Europe/Berlin\" or \"UTC\"";
            return null;
        }
    }

    /// <summary>Hangfire's misfire modes by name, any case; null is <see cref="MisfireHandlingMode.Relaxed"/>.
    /// Numbers are refused: they would tie the API to the enum's order.</summary>
    public static MisfireHandlingMode? TryParseMisfire(string? value, out string? error)
    {
        error = null;
        if (value is null) return MisfireHandlingMode.Relaxed;
        if (Enum.TryParse<MisfireHandlingMode>(value, ignoreCase: true, out var mode) && !char.IsDigit(value.TrimStart('-').FirstOrDefault())
            && Enum.IsDefined(mode))
        {
            return mode;
        }

        error = "must be \"relaxed\", \"strict\" or \"ignorable\"";
        return null;
    }

    /// <summary>The next <paramref name="count"/> occurrences after <paramref name="fromUtc"/>, in UTC; empty for an
    /// expression that never fires (such as <see cref="Cron.Never"/>) or one Hangfire could not parse.</summary>
    public static IReadOnlyList<DateTime> NextOccurrences(string? cron, TimeZoneInfo zone, DateTime fromUtc, int count)
    {
        var expression = TryParseCron(cron, out _);
        var result = new List<DateTime>(count);
        var from = DateTime.SpecifyKind(fromUtc, DateTimeKind.Utc);
        while (expression is not null && result.Count < count && expression.GetNextOccurrence(from, zone, inclusive: false) is { } next)
        {
            result.Add(next);
            from = next;
        }

        return result;
    }
}
