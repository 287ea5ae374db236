using NCrontab;

namespace JobServer.Engine.Scheduling;

/// <summary>
/// A cron expression read in a time zone: when a recurring job is due, as UTC instants.
/// </summary>
/// <remarks>
/// <para>
/// Syntax is NCrontab's: 5 fields (minute hour day month weekday) or 6 with a leading seconds field;
/// lists, ranges, steps and three-letter month/day names; weekday 0–6 with 0 = Sunday. When both day and
/// weekday are restricted, both must match (NCrontab's rule; classic cron fires when either matches).
/// </para>
/// <para>
/// Fields are wall-clock time in <see cref="TimeZone"/>. Around daylight-saving changes:
/// </para>
/// <list type="bullet">
/// <item>A wall-clock time that does not exist (the spring-forward gap, e.g. 02:30 on the last Sunday of
/// March in Europe/Berlin) fires once, at the instant the gap ends (03:00 local, 01:00 UTC). It is not
/// skipped. Several occurrences inside one gap collapse into that one firing.</item>
/// <item>A wall-clock time that happens twice (the fall-back overlap, e.g. 02:30 on the last Sunday of
/// October in Europe/Berlin) fires once, at its first (daylight-time) instant. This holds for every
/// expression: an hourly or per-minute job also fires only during the first pass through the repeated
/// hour and is silent during the second. A deliberate simplification: one firing per wall-clock time.</item>
/// </list>
/// <para>Instances are immutable and safe to share between threads.</para>
/// </remarks>
public sealed class CronSchedule
{
    /// <summary>The longest expression accepted, after whitespace is collapsed.</summary>
    public const int MaxLength = 100;

    // A fixed window (it contains a leap day), so Parse does not depend on the clock. It catches dates no
    // calendar has (Feb 30, Apr 31), which NCrontab answers with its end date rather than an error.
    private static readonly DateTime NeverOccursProbeStart = new(2000, 1, 1);
    private static readonly DateTime NeverOccursProbeEnd = NeverOccursProbeStart.AddYears(5);

    // NCrontab returns the end date when nothing matches; searching stops a year short of DateTime.MaxValue.
    private static readonly DateTime SearchEnd = new(9999, 1, 1);

    private readonly CrontabSchedule _cron;
    private readonly string[] _fields;

    private CronSchedule(CrontabSchedule cron, string[] fields, TimeZoneInfo timeZone, string timeZoneId)
    {
        _cron = cron;
        _fields = fields;
        Expression = string.Join(' ', fields);
        TimeZone = timeZone;
        TimeZoneId = timeZoneId;
    }

    /// <summary>The expression with surrounding whitespace trimmed and inner runs collapsed to one space.</summary>
    public string Expression { get; }

    /// <summary>The zone the fields are read in; <see cref="TimeZoneInfo.Utc"/> when none was given.</summary>
    public TimeZoneInfo TimeZone { get; }

    /// <summary>The IANA id of <see cref="TimeZone"/>, "UTC" when none was given.</summary>
    public string TimeZoneId { get; }

    /// <summary>True for a 6-field expression whose first field is seconds.</summary>
    public bool HasSeconds => _fields.Length == 6;

    /// <summary>
    /// Reads <paramref name="cron"/> (5 fields, or 6 with seconds first) in the IANA zone
    /// <paramref name="timeZoneId"/> (null or empty: UTC).
    /// </summary>
    /// <exception cref="JobValidationException">
    /// Field "cron" when the expression is empty, too long, has the wrong number of fields, does not parse or
    /// has no occurrence within five years (Feb 30, but also Feb 29 on a Monday); field "timeZone" when the zone
    /// is unknown.
    /// </exception>
    public static CronSchedule Parse(string? cron, string? timeZoneId)
    {
        var fields = (cron ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var expression = string.Join(' ', fields);
        if (fields.Length == 0)
        {
            throw new JobValidationException("cron", $"is required; {CronFields.ExpectedShape}");
        }

        if (expression.Length > MaxLength)
        {
            throw new JobValidationException("cron", $"must be at most {MaxLength} characters");
        }

        if (fields.Length is not (5 or 6))
        {
            throw new JobValidationException(
                "cron", $"'{expression}' has {fields.Length} fields; {CronFields.ExpectedShape}");
        }

        var problem = CronFields.FindProblem(fields);
        if (problem is not null)
        {
            throw new JobValidationException("cron", $"'{expression}' is not valid: {problem}");
        }

        CrontabSchedule parsed;
        try
        {
            parsed = CrontabSchedule.Parse(
                expression, new CrontabSchedule.ParseOptions { IncludingSeconds = fields.Length == 6 });
        }
        catch (Exception ex) when (ex is CrontabException or FormatException or OverflowException)
        {
            throw new JobValidationException("cron", $"'{expression}' is not valid: {ex.Message}");
        }

        if (parsed.GetNextOccurrence(NeverOccursProbeStart, NeverOccursProbeEnd) >= NeverOccursProbeEnd)
        {
            throw new JobValidationException(
                "cron", $"'{expression}' never occurs: no date matches it within five years (e.g. February 30)");
        }

        var (zone, zoneId) = ResolveTimeZone(timeZoneId);
        return new CronSchedule(parsed, fields, zone, zoneId);
    }

    /// <summary>
    /// The first occurrence strictly after <paramref name="afterUtc"/>, as a UTC instant (Kind Utc).
    /// Unspecified kind is read as UTC; Local kind is converted. DST rules: see the class remarks.
    /// </summary>
    /// <exception cref="InvalidOperationException">No occurrence before the year 9999.</exception>
    public DateTime NextAfter(DateTime afterUtc)
    {
        var after = afterUtc.Kind switch
        {
            DateTimeKind.Utc => afterUtc,
            DateTimeKind.Local => afterUtc.ToUniversalTime(),
            _ => DateTime.SpecifyKind(afterUtc, DateTimeKind.Utc),
        };

        var wallClock = TimeZoneInfo.ConvertTimeFromUtc(after, TimeZone);
        while (true)
        {
            wallClock = _cron.GetNextOccurrence(wallClock, SearchEnd);
            if (wallClock >= SearchEnd)
            {
                throw new InvalidOperationException($"cron '{Expression}' has no occurrence after {after:O}.");
            }

            var instant = ToUtc(wallClock);
            // Only in the second pass through a repeated (fall-back) hour: the next wall-clock times map to
            // their first pass, already behind us. They are skipped, which is the once-per-wall-time rule.
            if (instant > after)
            {
                return instant;
            }
        }
    }

    /// <summary>The next <paramref name="count"/> occurrences after <paramref name="afterUtc"/>, UTC, strictly increasing.</summary>
    public IReadOnlyList<DateTime> NextOccurrences(DateTime afterUtc, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var occurrences = new List<DateTime>(count);
        var cursor = afterUtc;
        for (var i = 0; i < count; i++)
        {
            cursor = NextAfter(cursor);
            occurrences.Add(cursor);
        }

        return occurrences;
    }

    /// <summary>
    /// A short description for the dashboard ("every 5 minutes", "at 02:30 every day", "at 06:00 on Monday");
    /// "cron '…'" for forms it does not know. The zone is appended unless it is UTC: "… (Europe/Berlin)".
    /// </summary>
    public string Describe()
    {
        var text = CronFields.Describe(_fields) ?? $"cron '{Expression}'";
        var isUtc = TimeZone.BaseUtcOffset == TimeSpan.Zero && !TimeZone.SupportsDaylightSavingTime;
        return isUtc ? text : $"{text} ({TimeZoneId})";
    }

    /// <inheritdoc />
    public override string ToString() => TimeZoneId == "UTC" ? Expression : $"{Expression} ({TimeZoneId})";

    // Wall-clock time in TimeZone to the instant it fires, by the DST rules in the class remarks.
    private DateTime ToUtc(DateTime wallClock)
    {
        if (TimeZone.IsInvalidTime(wallClock))
        {
            wallClock = EndOfGap(wallClock);
        }

        if (TimeZone.IsAmbiguousTime(wallClock))
        {
            // The first pass has the larger offset (daylight time); ConvertTimeToUtc would pick standard time.
            var offset = TimeZone.GetAmbiguousTimeOffsets(wallClock).Max();
            return DateTime.SpecifyKind(wallClock - offset, DateTimeKind.Utc);
        }

        return TimeZoneInfo.ConvertTimeToUtc(wallClock, TimeZone);
    }

    // The first valid wall-clock second after a spring-forward gap that contains wallClock. Bisection over
    // whole seconds: cron times and tz transitions are whole seconds, and no gap is longer than a day
    // (Samoa skipped 2011-12-30 whole), so the first valid time lies within 25 hours.
    private DateTime EndOfGap(DateTime wallClock)
    {
        long invalid = 0, valid = (long)TimeSpan.FromHours(25).TotalSeconds;
        if (TimeZone.IsInvalidTime(wallClock.AddSeconds(valid)))
        {
            throw new InvalidOperationException($"time zone {TimeZoneId} has a gap longer than 25 hours at {wallClock:s}.");
        }

        while (valid - invalid > 1)
        {
            var middle = invalid + ((valid - invalid) / 2);
            if (TimeZone.IsInvalidTime(wallClock.AddSeconds(middle)))
            {
                invalid = middle;
            }
            else
            {
                valid = middle;
            }
        }

        return wallClock.AddSeconds(valid);
    }

    private static (TimeZoneInfo Zone, string Id) ResolveTimeZone(string? timeZoneId)
    {
        if (string.IsNullOrWhiteSpace(timeZoneId))
        {
            return (TimeZoneInfo.Utc, "UTC");
        }

        var id = timeZoneId.Trim();
        if (TimeZoneInfo.TryConvertWindowsIdToIanaId(id, out var iana) && !TimeZoneInfo.TryConvertIanaIdToWindowsId(id, out _))
        {
            // .NET resolves Windows names on Linux too, but stored definitions must mean the same on every server.
            throw new JobValidationException("timeZone", $"'{id}' is a Windows time zone name; use its IANA name, e.g. {iana}");
        }

        try
        {
            var zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            return (zone, zone.Id);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            throw new JobValidationException(
                "timeZone", $"unknown time zone '{id}'; use an IANA name like Europe/Berlin");
        }
    }
}
