namespace UFBrowsers.BenchSupport;

/// <summary>Durations in milliseconds of one variant, and the line that reports them.</summary>
public sealed class Samples(string name)
{
    private readonly List<double> _values = [];

    public string Name { get; } = name;

    public int Count => _values.Count;

    public void Add(TimeSpan duration) => _values.Add(duration.TotalMilliseconds);

    public void Add(double milliseconds) => _values.Add(milliseconds);

    public double Median => Percentiles.Median(_values);

    public double P99 => Percentiles.Of(_values.Order().ToList(), 99);

    public string Line(double scale = 1) => $"  {Name,-34} {Median * scale,8:F0} {P99 * scale,8:F0}   (n={_values.Count})";

    public static void Report(string title, Samples sandboxed, Samples unsandboxed, double target, bool microseconds = false)
    {
        var ratio = sandboxed.Median / unsandboxed.Median;
        var p99Ratio = sandboxed.P99 / unsandboxed.P99;
        var scale = microseconds ? 1000 : 1;
        Console.WriteLine();
        Console.WriteLine($"{title}, {(microseconds ? "µs" : "ms")}: median, p99");
        Console.WriteLine(sandboxed.Line(scale));
        Console.WriteLine(unsandboxed.Line(scale));
        Console.WriteLine($"  ratio sandbox/no sandbox           {ratio,8:F3} {p99Ratio,8:F3}" +
                          (double.IsNaN(target) ? "" : $"   target <= {target:F2}: {(ratio <= target ? "met" : "NOT met")}"));
    }
}
