using System.Globalization;
using UFBrowsers.Bench.PodStart;

// The local sandbox's cost, sandbox on vs off in one run (alternating, so both see the same machine load):
//   pod start:       launch to DevTools answering (the provider's CreateAsync), outside any warm pool;
//   usable page:     what a customer waits for: POST /v1/sessions, Playwright connectOverCDP on the connect URL through the
//                    gateway, a new page, a first evaluate (warm pools on both hosts, refilled between samples).
//   dotnet run -c Release --project bench/PodStart [-- --starts 30] [--pages 40]
var starts = Option("--starts", 30);
var pages = Option("--pages", 40);
Console.WriteLine($"cores: {Environment.ProcessorCount}; load: {File.ReadAllText("/proc/loadavg").Trim()}");

await PodStartBenchmark.RunAsync(starts);
await UsablePageBenchmark.RunAsync(pages);
Console.WriteLine($"load after: {File.ReadAllText("/proc/loadavg").Trim()}");

int Option(string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
}
