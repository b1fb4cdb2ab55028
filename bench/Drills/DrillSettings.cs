using System.Globalization;
using UFBrowsers.BenchSupport;

namespace UFBrowsers.Bench.Drills;

/// <summary>
/// A drill's host settings: the benchmark's, with the recovery periods shortened so a drill need not wait minutes for them:
/// each customer's sessions reminder every 15 s (production: 60 s), which wakes a dead silo's sessions and refunds holds of
/// starts cut short, and the pool's sweep (claim timeout 5 s, every 2 s), which deletes pods such starts left. The session's
/// liveness check keeps its production period (30 s).
/// </summary>
internal static class DrillSettings
{
    public static readonly TimeSpan ReminderPeriod = TimeSpan.FromSeconds(15);

    /// <summary>How long after the traffic stops a drill waits before its checks: a reminder period, a sweep and slack.</summary>
    public static readonly TimeSpan RecoveryWait = ReminderPeriod + TimeSpan.FromSeconds(10);

    public static Dictionary<string, string?> ForSilo(string storage, string? postgresConnectionString = null, int warmTarget = 64)
    {
        var settings = BenchSettings.ForSilo(storage, postgresConnectionString, warmTarget);
        settings["UFBrowsers:Sessions:ReminderSeconds"] = ((int)ReminderPeriod.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        settings["UFBrowsers:Pods:ClaimTimeoutSeconds"] = "5";
        settings["UFBrowsers:Pods:SweepSeconds"] = "2";
        return settings;
    }
}
