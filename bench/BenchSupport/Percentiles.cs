namespace UFBrowsers.BenchSupport;

public static class Percentiles
{
    /// <summary>The nearest-rank percentile of <paramref name="sorted"/> (ascending).</summary>
    public static double Of(IReadOnlyList<double> sorted, double percentile)
    {
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    public static double Median(IEnumerable<double> values) => Of(values.Order().ToList(), 50);
}
