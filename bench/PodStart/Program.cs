using System.Globalization;
using UFBrowsers.Bench.PodStart;

// The local sandbox's cost at the pod itself, sandbox on vs off in one run (alternating, so both see the same machine load):
//   pod start:       launch to DevTools answering (the provider's CreateAsync), outside any warm pool;
//   CDP round trip:  Runtime.evaluate on each pod's own endpoint (the sandbox's Unix socket and socat bridge against TCP).
//   profile hooks:   what a profile's restore (start) and capture (end) add, against a CDP connect + one command (only
//                    this with `profile`).
// Time to a usable page as a customer sees it (HTTP create, gateway, Playwright) is bench/UsablePage.
//   dotnet run -c Release --project bench/PodStart [-- --starts 30]
//   dotnet run -c Release --project bench/PodStart -- profile [--restores 30]
var starts = Option("--starts", 30);
Console.WriteLine($"cores: {Environment.ProcessorCount}; load: {File.ReadAllText("/proc/loadavg").Trim()}");

if (args.Contains("profile"))
{
    await ProfileRestoreBenchmark.RunAsync(Option("--restores", 30));
}
else
{
    await PodStartBenchmark.RunAsync(starts);
}

Console.WriteLine($"load after: {File.ReadAllText("/proc/loadavg").Trim()}");

int Option(string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
}
