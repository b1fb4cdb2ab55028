using System.Globalization;

namespace UFBrowsers.BenchSupport;

/// <summary>The machine's load average (from <c>/proc/loadavg</c>), reported with every figure measured on a shared machine.</summary>
public static class MachineLoad
{
    /// <summary>The whole line: 1-, 5- and 15-minute averages, running/total tasks, last pid.</summary>
    public static string Line() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "unknown";

    /// <summary>The 1-minute average; NaN where there is no <c>/proc</c>.</summary>
    public static double OneMinute() =>
        File.Exists("/proc/loadavg") ? double.Parse(Line().Split(' ')[0], CultureInfo.InvariantCulture) : double.NaN;
}
