namespace JobServer.Jobs;

/// <summary>The sieve of Eratosthenes over odd numbers, one cache-sized segment at a time, so memory stays flat in n
/// and the caller gets a cancellation check and a progress point every couple of milliseconds.</summary>
internal static class PrimeSieve
{
    /// <summary>Odd numbers per segment: 256 KiB of flags, about one L2 cache, so the marking stays in cache.</summary>
    public const int SegmentOdds = 256 * 1024;

    /// <summary>How many primes are below <paramref name="n"/>.</summary>
    /// <param name="onSegment">After each segment: every number below the value passed has been sieved.</param>
    /// <exception cref="OperationCanceledException">Checked before each segment.</exception>
    public static int CountBelow(int n, CancellationToken cancellationToken, Action<long>? onSegment = null)
    {
        if (n <= 2)
        {
            return 0;
        }

        var basePrimes = OddPrimesUpTo((int)Math.Sqrt(n - 1));
        var composite = new bool[SegmentOdds];
        var count = 1; // 2, the one even prime; the segments hold odd numbers only

        // Flag j of a segment stands for the odd number low + 2j; the segment covers [low, high).
        for (long low = 1; low < n; low += 2L * SegmentOdds)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var high = Math.Min(low + 2L * SegmentOdds, n);
            var size = (int)((high - low + 1) / 2);
            var flags = composite.AsSpan(0, size);
            flags.Clear();
            foreach (var p in basePrimes)
            {
                long square = (long)p * p;
                if (square >= high)
                {
                    break;
                }

                // Smaller multiples were struck by smaller primes; even multiples are not in the segment at all.
                var first = Math.Max(square, (low + p - 1) / p * p);
                if (first % 2 == 0)
                {
                    first += p;
                }

                for (var j = (first - low) / 2; j < size; j += p)
                {
                    flags[(int)j] = true;
                }
            }

            count += size - flags.Count(true);
            if (low == 1)
            {
                count--; // 1 is not a prime
            }

            onSegment?.Invoke(high);
        }

        return count;
    }

    /// <summary>The odd primes up to <paramref name="limit"/> (at most √50,000,000 ≈ 7,071 here), by a plain sieve.</summary>
    private static List<int> OddPrimesUpTo(int limit)
    {
        var composite = new bool[limit + 1];
        var primes = new List<int>();
        for (var i = 3; i <= limit; i += 2)
        {
            if (composite[i])
            {
                continue;
            }

            primes.Add(i);
            for (var m = i * i; m <= limit; m += 2 * i)
            {
                composite[m] = true;
            }
        }

        return primes;
    }
}
