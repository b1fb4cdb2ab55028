using System.Globalization;

namespace UFBrowsers.Bench.Drills;

/// <summary>Command line: <c>[silo-kill|postgres-outage|flaky-pods|malformed|all] [--seconds N] [--clients N] [--requests N]</c>.</summary>
internal sealed record DrillOptions(string Command, int Seconds, int Clients, int Requests)
{
    public static DrillOptions Parse(string[] args)
    {
        var command = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "all";
        int Value(string name, int fallback)
        {
            var i = Array.IndexOf(args, "--" + name);
            return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
        }

        return new DrillOptions(command, Value("seconds", 60), Value("clients", 16), Value("requests", 2000));
    }
}
