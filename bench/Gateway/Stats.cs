namespace UFBrowsers.Bench.Gateway;

internal static class Stats
{
    public static double Median(List<double> values) => Percentile(values, 0.50);

    public static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(p * sorted.Count) - 1)];
    }
}
