using JobServer.Engine.States;

namespace JobServer.Tests.Engine;

public sealed class RetryPolicyTests
{
    private static RetryPolicy CreateSut(int maxAttempts = 5) => new(maxAttempts, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5));

    [Theory]
    [InlineData(1, 10)]
    [InlineData(2, 20)]
    [InlineData(3, 40)]
    [InlineData(5, 160)]
    public void DelayAfter_MiddleOfJitterRange_DoublesPerAttempt(int attempt, int expectedSeconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), CreateSut().DelayAfter(attempt, unitRandom: 0.5));
    }

    [Fact]
    public void DelayAfter_ManyAttempts_IsCappedAtMaxDelay()
    {
        Assert.Equal(TimeSpan.FromMinutes(5), CreateSut().DelayAfter(40, unitRandom: 0.999));
        Assert.True(CreateSut().DelayAfter(40, unitRandom: 0) <= TimeSpan.FromMinutes(5));
    }

    [Theory]
    [InlineData(0.0, 8)]
    [InlineData(0.999999, 12)]
    public void DelayAfter_JitterExtremes_StayWithinTwentyPercent(double unitRandom, double expectedSeconds)
    {
        Assert.Equal(expectedSeconds, CreateSut().DelayAfter(1, unitRandom).TotalSeconds, precision: 3);
    }

    [Fact]
    public void ShouldRetry_BeforeLastAttempt_TrueThenFalse()
    {
        var sut = CreateSut(maxAttempts: 3);
        Assert.True(sut.ShouldRetry(1));
        Assert.True(sut.ShouldRetry(2));
        Assert.False(sut.ShouldRetry(3));
    }

    [Fact]
    public void ShouldRetry_OneAttemptPolicy_NeverRetries()
    {
        Assert.False(CreateSut(maxAttempts: 1).ShouldRetry(1));
        Assert.Equal(1, CreateSut(maxAttempts: 0).MaxAttempts);
    }
}
