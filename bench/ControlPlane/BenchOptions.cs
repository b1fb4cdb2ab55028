using System.Globalization;

namespace UFBrowsers.Bench.ControlPlane;

/// <summary>
/// Command line: <c>[memory|postgres|footprint|create-latency|all] [--runs N] [--seconds N] [--clients N] [--customers N]
/// [--sessions N] [--storage memory|postgres] [--pods instant|local] [--samples N] [--warmup-samples N] [--interval-ms N]</c>.
/// </summary>
internal sealed record BenchOptions(
    string Command, int Runs, int Seconds, int WarmupSeconds, int Clients, int Customers, int Sessions, string Storage,
    string Pods, int Samples, int WarmupSamples, int? IntervalMs)
{
    public static BenchOptions Parse(string[] args)
    {
        var command = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "all";
        int? Optional(string name)
        {
            var i = Array.IndexOf(args, "--" + name);
            return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : null;
        }

        int Value(string name, int fallback) => Optional(name) ?? fallback;

        string Text(string name, string fallback)
        {
            var i = Array.IndexOf(args, "--" + name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1].ToLowerInvariant() : fallback;
        }

        return new BenchOptions(command, Value("runs", 5), Value("seconds", 10), Value("warmup", 30), Value("clients", 16),
            Value("customers", 256), Value("sessions", 100_000), Text("storage", "memory"),
            Text("pods", "instant"), Value("samples", 1000), Value("warmup-samples", 1000), Optional("interval-ms"));
    }
}
