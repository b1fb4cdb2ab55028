using System.Globalization;

namespace UFBrowsers.Bench.ControlPlane;

/// <summary>Command line: <c>[memory|postgres|footprint|all] [--runs N] [--seconds N] [--clients N] [--customers N] [--sessions N] [--storage memory|postgres]</c>.</summary>
internal sealed record BenchOptions(string Command, int Runs, int Seconds, int WarmupSeconds, int Clients, int Customers, int Sessions, string Storage)
{
    public static BenchOptions Parse(string[] args)
    {
        var command = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "all";
        int Value(string name, int fallback)
        {
            var i = Array.IndexOf(args, "--" + name);
            return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
        }

        string Text(string name, string fallback)
        {
            var i = Array.IndexOf(args, "--" + name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1].ToLowerInvariant() : fallback;
        }

        return new BenchOptions(command, Value("runs", 5), Value("seconds", 10), Value("warmup", 30), Value("clients", 16),
            Value("customers", 256), Value("sessions", 100_000), Text("storage", "memory"));
    }
}
