using System.Globalization;

namespace UFBrowsers.Bench.PoolDemand;

/// <summary>Command line: <c>[--rate 3] [--session-seconds 2] [--seconds 60] [--settle-seconds 10] [--pods local|instant] [--storage postgres|memory] [--spans]</c>.</summary>
internal sealed record DemandOptions(double Rate, double SessionSeconds, int Seconds, int SettleSeconds, string Pods, string Storage, bool Spans)
{
    public static DemandOptions? Parse(string[] args)
    {
        string? Text(string name)
        {
            var i = Array.IndexOf(args, "--" + name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }

        double Number(string name, double fallback) => Text(name) is { } text ? double.Parse(text, CultureInfo.InvariantCulture) : fallback;

        var options = new DemandOptions(Number("rate", 3), Number("session-seconds", 2), (int)Number("seconds", 60), (int)Number("settle-seconds", 10),
            (Text("pods") ?? "local").ToLowerInvariant(), (Text("storage") ?? "postgres").ToLowerInvariant(), args.Contains("--spans"));
        return options.Rate > 0 && options.Seconds > options.SettleSeconds && options.Pods is "local" or "instant" && options.Storage is "postgres" or "memory"
            ? options
            : null;
    }
}
