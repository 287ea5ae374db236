using JobServer.Jobs;
namespace JobServer.Tests.HangfireJobs;

/// <summary>The segmented sieve behind the cpu job, against trial division and known prime counts.</summary>
public sealed class PrimeSieveTests
{
    private const int Segment = 2 * PrimeSieve.SegmentOdds;

    [Fact]
    public void CountBelow_SmallN_MatchesTrialDivision()
    {
        for (var n = 0; n <= 2_000; n++)
        {
            Assert.Equal(CountByTrialDivision(n), PrimeSieve.CountBelow(n, CancellationToken.None));
        }
    }

    [Theory]
    [InlineData(Segment - 1)]
    [InlineData(Segment)]
    [InlineData(Segment + 1)]
    [InlineData(Segment + 2)]
    [InlineData(3 * Segment + 7)]
    public void CountBelow_AroundSegmentBoundaries_MatchesTrialDivision(int n)
    {
        Assert.Equal(CountByTrialDivision(n), PrimeSieve.CountBelow(n, CancellationToken.None));
    }

    [Theory]
    [InlineData(100_000, 9_592)]
    [InlineData(1_000_000, 78_498)]
    [InlineData(10_000_000, 664_579)]
    [InlineData(50_000_000, 3_001_134)]
    public void CountBelow_KnownN_GivesKnownCount(int n, int primes)
    {
        Assert.Equal(primes, PrimeSieve.CountBelow(n, CancellationToken.None));
    }

    [Fact]
    public void CountBelow_CancelledAfterFirstSegment_StopsBeforeTheNext()
    {
        using var cancellation = new CancellationTokenSource();
        var segments = 0;

        Assert.Throws<OperationCanceledException>(() => PrimeSieve.CountBelow(10_000_000, cancellation.Token, _ =>
        {
            segments++;
            cancellation.Cancel();
        }));

        Assert.Equal(1, segments);
    }

    private static int CountByTrialDivision(int n)
    {
        var count = 0;
        for (var candidate = 2; candidate < n; candidate++)
        {
            var prime = true;
            for (var d = 2; (long)d * d <= candidate; d++)
            {
                if (candidate % d == 0)
                {
                    prime = false;
                    break;
                }
            }

            if (prime)
            {
                count++;
            }
        }

        return count;
    }
}
