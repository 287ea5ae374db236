using System.Globalization;
using JobServer.Engine;
using JobServer.Engine.Scheduling;

namespace JobServer.Tests.Scheduling;

public sealed class CronScheduleTests
{
    private static CronSchedule CreateSut(string cron, string? timeZoneId = null) => CronSchedule.Parse(cron, timeZoneId);

    private static DateTime Utc(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture).UtcDateTime;

    [Theory]
    [InlineData("0 6 * * 1", false)]
    [InlineData("*/5 * * * * *", true)]
    public void Parse_FiveOrSixFields_HasSecondsOnlyForSix(string cron, bool hasSeconds)
    {
        var sut = CreateSut(cron);

        Assert.Equal(cron, sut.Expression);
        Assert.Equal(hasSeconds, sut.HasSeconds);
    }

    [Theory]
    [InlineData(null, "UTC")]
    [InlineData("", "UTC")]
    [InlineData("Europe/Berlin", "Europe/Berlin")]
    public void Parse_Zone_NoneMeansUtc(string? timeZoneId, string expected)
    {
        var sut = CreateSut("0 6 * * 1", timeZoneId);

        Assert.Equal(expected, sut.TimeZoneId);
        Assert.Equal(expected, sut.TimeZone.Id);
    }

    [Fact]
    public void Parse_ExtraWhitespace_IsTrimmedAndCollapsed()
    {
        Assert.Equal("0 6 * * 1", CreateSut("  0\t6   * *\n1 ").Expression);
    }

    [Theory]
    [InlineData("* * * *")]
    [InlineData("* * * * * * *")]
    [InlineData("61 * * * *")]
    [InlineData("a b c d e")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    // 105 characters, otherwise valid.
    [InlineData("0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35 * * * *")]
    [InlineData("0 0 30 2 *")]
    [InlineData("0 0 31 4 *")]
    [InlineData("*/0 * * * *")]
    [InlineData("5-1 * * * *")]
    [InlineData("99999999999 * * * *")]
    public void Parse_InvalidCron_ThrowsForCronField(string? cron)
    {
        var ex = Assert.Throws<JobValidationException>(() => CronSchedule.Parse(cron, null));

        Assert.Equal("cron", ex.Field);
    }

    [Fact]
    public void Parse_FebruaryThirtieth_SaysItNeverOccurs()
    {
        var ex = Assert.Throws<JobValidationException>(() => CronSchedule.Parse("0 0 30 2 *", null));

        Assert.Contains("never occurs", ex.Reason);
    }

    [Fact]
    public void Parse_UnknownZone_ThrowsForTimeZoneField()
    {
        var ex = Assert.Throws<JobValidationException>(() => CronSchedule.Parse("* * * * *", "Mars/Olympus"));

        Assert.Equal("timeZone", ex.Field);
        Assert.Contains("'Mars/Olympus'", ex.Reason);
    }

    [Fact]
    public void NextAfter_EveryFiveSeconds_ReturnsNextMultipleOfFive()
    {
        var next = CreateSut("*/5 * * * * *").NextAfter(Utc("2026-05-01T12:00:03Z"));

        Assert.Equal(Utc("2026-05-01T12:00:05Z"), next);
        Assert.Equal(DateTimeKind.Utc, next.Kind);
    }

    [Fact]
    public void NextAfter_MondaysAtSix_ReturnsNextMonday()
    {
        // 2026-05-01 is a Friday.
        Assert.Equal(Utc("2026-05-04T06:00:00Z"), CreateSut("0 6 * * 1").NextAfter(Utc("2026-05-01T12:00:00Z")));
    }

    [Fact]
    public void NextAfter_ExactlyOnAnOccurrence_ReturnsTheNextOne()
    {
        Assert.Equal(Utc("2026-05-01T12:00:10Z"), CreateSut("*/5 * * * * *").NextAfter(Utc("2026-05-01T12:00:05Z")));
    }

    [Fact]
    public void NextAfter_UnspecifiedKind_IsReadAsUtc()
    {
        var next = CreateSut("0 * * * *").NextAfter(new DateTime(2026, 5, 1, 12, 30, 0, DateTimeKind.Unspecified));

        Assert.Equal(Utc("2026-05-01T13:00:00Z"), next);
        Assert.Equal(DateTimeKind.Utc, next.Kind);
    }

    [Fact]
    public void TimeZones_DaylightSavingChanges_AreOnTheDatesTheseTestsAssume()
    {
        AssertOffsetChangesAt("Europe/Berlin", Utc("2026-03-29T01:00:00Z"), 1, 2);
        AssertOffsetChangesAt("Europe/Berlin", Utc("2026-10-25T01:00:00Z"), 2, 1);
        AssertOffsetChangesAt("America/New_York", Utc("2026-03-08T07:00:00Z"), -5, -4);
        AssertOffsetChangesAt("America/New_York", Utc("2026-11-01T06:00:00Z"), -4, -5);
    }

    [Fact]
    public void NextOccurrences_BerlinSpringForward_FiresOnceAtGapEnd()
    {
        var occurrences = CreateSut("30 2 * * *", "Europe/Berlin").NextOccurrences(Utc("2026-03-28T12:00:00Z"), 2);

        // 02:30 does not exist on 2026-03-29: it fires at 03:00 CEST; the next day 02:30 CEST.
        Assert.Equal([Utc("2026-03-29T01:00:00Z"), Utc("2026-03-30T00:30:00Z")], occurrences);
    }

    [Fact]
    public void NextOccurrences_BerlinGapWithSeveralTimes_CollapseIntoOneFiring()
    {
        var occurrences = CreateSut("*/15 * * * *", "Europe/Berlin").NextOccurrences(Utc("2026-03-29T00:50:00Z"), 3);

        Assert.Equal([Utc("2026-03-29T01:00:00Z"), Utc("2026-03-29T01:15:00Z"), Utc("2026-03-29T01:30:00Z")], occurrences);
    }

    [Fact]
    public void NextOccurrences_BerlinFallBack_FiresOnceAtFirstPass()
    {
        var occurrences = CreateSut("30 2 * * *", "Europe/Berlin").NextOccurrences(Utc("2026-10-24T12:00:00Z"), 2);

        // 02:30 happens twice on 2026-10-25; only the first (CEST) fires. The next day 02:30 is CET.
        Assert.Equal([Utc("2026-10-25T00:30:00Z"), Utc("2026-10-26T01:30:00Z")], occurrences);
    }

    [Fact]
    public void NextAfter_BerlinSecondPassOfRepeatedHour_NeverReturnsThePast()
    {
        // 01:15Z is 02:15 CET, the second pass; 02:30's first pass (00:30Z) is already behind.
        var next = CreateSut("30 2 * * *", "Europe/Berlin").NextAfter(Utc("2026-10-25T01:15:00Z"));

        Assert.Equal(Utc("2026-10-26T01:30:00Z"), next);
    }

    [Fact]
    public void NextOccurrences_BerlinHourlyAcrossFallBack_SkipsTheRepeatedHour()
    {
        var occurrences = CreateSut("0 * * * *", "Europe/Berlin").NextOccurrences(Utc("2026-10-24T23:30:00Z"), 2);

        // 02:00 CEST (00:00Z) fires; 02:00 CET (01:00Z) is the same wall-clock time and does not; next is 03:00 CET.
        Assert.Equal([Utc("2026-10-25T00:00:00Z"), Utc("2026-10-25T02:00:00Z")], occurrences);
    }

    [Fact]
    public void NextAfter_BerlinEverySecondDuringSecondPass_WaitsForTheEndOfTheRepeatedHour()
    {
        Assert.Equal(Utc("2026-10-25T02:00:00Z"), CreateSut("* * * * * *", "Europe/Berlin").NextAfter(Utc("2026-10-25T01:00:00Z")));
    }

    [Fact]
    public void NextAfter_NewYorkSpringForward_FiresAtGapEnd()
    {
        // 02:30 does not exist on 2026-03-08 in New York: 03:00 EDT.
        Assert.Equal(Utc("2026-03-08T07:00:00Z"), CreateSut("30 2 * * *", "America/New_York").NextAfter(Utc("2026-03-07T12:00:00Z")));
    }

    [Fact]
    public void NextOccurrences_NewYorkFallBack_FiresOnceAtFirstPass()
    {
        var occurrences = CreateSut("30 1 * * *", "America/New_York").NextOccurrences(Utc("2026-10-31T12:00:00Z"), 2);

        // 01:30 happens twice on 2026-11-01: the EDT one fires; the next day 01:30 is EST.
        Assert.Equal([Utc("2026-11-01T05:30:00Z"), Utc("2026-11-02T06:30:00Z")], occurrences);
    }

    [Theory]
    [InlineData("2026-01-10T00:00:00Z", "2026-01-10T08:00:00Z")]
    [InlineData("2026-07-10T00:00:00Z", "2026-07-10T07:00:00Z")]
    public void NextAfter_BerlinDailyAtNine_FollowsWinterAndSummerTime(string after, string expected)
    {
        Assert.Equal(Utc(expected), CreateSut("0 9 * * *", "Europe/Berlin").NextAfter(Utc(after)));
    }

    [Fact]
    public void NextOccurrences_FiveRequested_ReturnsFiveStrictlyIncreasing()
    {
        var after = Utc("2026-10-24T22:00:00Z");

        var occurrences = CreateSut("*/20 * * * *", "Europe/Berlin").NextOccurrences(after, 5);

        Assert.Equal(5, occurrences.Count);
        Assert.All(occurrences.Zip(occurrences.Skip(1)), pair => Assert.True(pair.First < pair.Second));
        Assert.True(occurrences[0] > after);
    }

    [Fact]
    public void NextAfter_FromManualClock_MovesAsTheClockAdvances()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 5, 1, 12, 0, 3, TimeSpan.Zero));
        var sut = CreateSut("*/5 * * * * *");
        DateTime Due() => sut.NextAfter(time.GetUtcNow().UtcDateTime);

        Assert.Equal(Utc("2026-05-01T12:00:05Z"), Due());
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(Utc("2026-05-01T12:00:10Z"), Due());
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(Utc("2026-05-01T12:01:10Z"), Due());
    }

    [Theory]
    [InlineData("* * * * * *", null, "every second")]
    [InlineData("*/5 * * * * *", null, "every 5 seconds")]
    [InlineData("* * * * *", null, "every minute")]
    [InlineData("*/5 * * * *", null, "every 5 minutes")]
    [InlineData("0 */5 * * * *", null, "every 5 minutes")]
    [InlineData("30 2 * * *", null, "at 02:30 every day")]
    [InlineData("15 * * * *", null, "at minute 15 of every hour")]
    [InlineData("0 6 * * 1", null, "at 06:00 on Monday")]
    [InlineData("0 6 * * mon", null, "at 06:00 on Monday")]
    [InlineData("0 0 1 * *", null, "at 00:00 on day 1 of the month")]
    [InlineData("30 0 6 * * *", null, "at 06:00:30 every day")]
    [InlineData("30 2 * * *", "Europe/Berlin", "at 02:30 every day (Europe/Berlin)")]
    [InlineData("0 9-17 * * 1-5", null, "cron '0 9-17 * * 1-5'")]
    [InlineData("0 0 1 1 *", "America/New_York", "cron '0 0 1 1 *' (America/New_York)")]
    public void Describe_KnownAndUnknownForms_ReadsPlainly(string cron, string? zone, string expected)
    {
        Assert.Equal(expected, CreateSut(cron, zone).Describe());
    }

    private static void AssertOffsetChangesAt(string zoneId, DateTime changeUtc, int hoursBefore, int hoursAfter)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        Assert.Equal(TimeSpan.FromHours(hoursBefore), zone.GetUtcOffset(changeUtc.AddTicks(-1)));
        Assert.Equal(TimeSpan.FromHours(hoursAfter), zone.GetUtcOffset(changeUtc));
    }
}
