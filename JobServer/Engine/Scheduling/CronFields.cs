using System.Globalization;

namespace JobServer.Engine.Scheduling;

/// <summary>Checks NCrontab lets through, and the dashboard wording, on the split fields of a cron expression.</summary>
internal static class CronFields
{
    public const string ExpectedShape =
        "expected 5 fields (minute hour day month weekday) or 6 with seconds first (second minute hour day month weekday)";

    private static readonly string[] FiveFieldNames = ["minute", "hour", "day", "month", "weekday"];
    private static readonly string[] SixFieldNames = ["second", .. FiveFieldNames];

    private static readonly string[] DayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    /// <summary>
    /// A reason the fields are wrong that NCrontab would not report, or null. NCrontab reads step 0 ("*/0")
    /// as every value and swaps a reversed range ("5-1" becomes 1-5); both are almost certainly mistakes.
    /// </summary>
    public static string? FindProblem(string[] fields)
    {
        var names = fields.Length == 6 ? SixFieldNames : FiveFieldNames;
        for (var i = 0; i < fields.Length; i++)
        {
            foreach (var part in fields[i].Split(','))
            {
                var slash = part.IndexOf('/');
                if (slash >= 0 && TryNumber(part[(slash + 1)..], out var step) && step == 0)
                {
                    return $"'{part}' in the {names[i]} field has step 0";
                }

                var range = (slash >= 0 ? part[..slash] : part).Split('-');
                if (range.Length == 2 && TryNumber(range[0], out var low) && TryNumber(range[1], out var high) && low > high)
                {
                    return $"'{part}' in the {names[i]} field is a reversed range; write {high}-{low}";
                }
            }
        }

        return null;
    }

    /// <summary>Words for the common forms, without the time zone; null when the form is not one of them.</summary>
    public static string? Describe(string[] fields)
    {
        var second = fields.Length == 6 ? fields[0] : "0";
        var (minute, hour, day, month, weekday) = fields.Length == 6
            ? (fields[1], fields[2], fields[3], fields[4], fields[5])
            : (fields[0], fields[1], fields[2], fields[3], fields[4]);

        if (month != "*")
        {
            return null;
        }

        if (hour == "*" && day == "*" && weekday == "*")
        {
            return DescribeWithinHour(second, minute);
        }

        if (!TryNumber(second, out var s) || !TryNumber(minute, out var m) || !TryNumber(hour, out var h))
        {
            return null;
        }

        var at = s == 0 ? $"at {h:00}:{m:00}" : $"at {h:00}:{m:00}:{s:00}";
        return (day, weekday) switch
        {
            ("*", "*") => $"{at} every day",
            ("*", _) when TryDayOfWeek(weekday, out var dayOfWeek) => $"{at} on {dayOfWeek}",
            (_, "*") when TryNumber(day, out var dayOfMonth) => $"{at} on day {dayOfMonth} of the month",
            _ => null,
        };
    }

    private static string? DescribeWithinHour(string second, string minute)
    {
        if (minute == "*")
        {
            return second switch
            {
                "*" => "every second",
                "0" => "every minute",
                _ when TryStep(second, out var n) => n == 1 ? "every second" : $"every {n} seconds",
                _ => null,
            };
        }

        if (second != "0")
        {
            return null;
        }

        if (TryStep(minute, out var step))
        {
            return step == 1 ? "every minute" : $"every {step} minutes";
        }

        return TryNumber(minute, out var m) ? $"at minute {m} of every hour" : null;
    }

    private static bool TryStep(string field, out int step)
    {
        step = 0;
        return field.StartsWith("*/", StringComparison.Ordinal) && TryNumber(field[2..], out step) && step > 0;
    }

    private static bool TryDayOfWeek(string field, out DayOfWeek day)
    {
        var index = TryNumber(field, out var n) ? n : Array.IndexOf(DayNames, field.ToUpperInvariant());
        day = (DayOfWeek)index;
        return index is >= 0 and <= 6;
    }

    private static bool TryNumber(string text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
