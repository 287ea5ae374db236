namespace JobServer.Bench;

/// <summary>Medians and percentiles of measured values.</summary>
internal static class Stats
{
    public static double Median(IEnumerable<double> values) => Percentile(values, 0.5);

    /// <summary>Nearest-rank percentile (q in 0..1); the median of an even count is the mean of the middle two.</summary>
    public static double Percentile(IEnumerable<double> values, double q)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0) return double.NaN;
        if (q == 0.5 && sorted.Count % 2 == 0) return (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
        return sorted[Math.Clamp((int)Math.Ceiling(sorted.Count * q) - 1, 0, sorted.Count - 1)];
    }
}
