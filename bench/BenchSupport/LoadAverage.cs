namespace UFBrowsers.BenchSupport;

/// <summary>The machine's load averages, printed with every figure: other work on a shared machine moves them.</summary>
public static class LoadAverage
{
    /// <summary>"1-min 5-min 15-min" from /proc/loadavg.</summary>
    public static string Now() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
