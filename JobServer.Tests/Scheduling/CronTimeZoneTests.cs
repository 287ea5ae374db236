using JobServer.Engine;
using JobServer.Engine.Scheduling;

namespace JobServer.Tests.Scheduling;

public sealed class CronTimeZoneTests
{
    [Fact]
    public void Parse_WindowsZoneName_IsRefusedWithItsIanaName()
    {
        var error = Assert.Throws<JobValidationException>(() => CronSchedule.Parse("0 6 * * *", "W. Europe Standard Time"));

        Assert.Equal("timeZone", error.Field);
        Assert.Contains("Europe/Berlin", error.Reason);
    }

    [Theory]
    [InlineData("UTC")]
    [InlineData("Etc/UTC")]
    [InlineData("Europe/Berlin")]
    public void Parse_IanaNames_AreAccepted(string zone)
    {
        Assert.Equal(zone, CronSchedule.Parse("0 6 * * *", zone).TimeZoneId);
    }
}
