using System.Globalization;
using UFBrowsers.Bench.PodStart;

// The local sandbox's cost, sandbox on vs off in one run (alternating, so both see the same machine load):
//   pod start:       launch to DevTools answering (the provider's CreateAsync), outside any warm pool;
//   usable page:     what a customer waits for: POST /v1/sessions, Playwright connectOverCDP on the connect URL through the
//                    gateway, a new page, a first evaluate (warm pools on both hosts, refilled between samples).
//   profile hooks:   what a profile's restore (start) and capture (end) add, against a CDP connect + one command (only
//                    this with `profile`).
//   dotnet run -c Release --project bench/PodStart [-- --starts 30] [--pages 40]
//   dotnet run -c Release --project bench/PodStart -- profile [--restores 30]
var starts = Option("--starts", 30);
var pages = Option("--pages", 40);
Console.WriteLine($"cores: {Environment.ProcessorCount}; load: {File.ReadAllText("/proc/loadavg").Trim()}");

if (args.Contains("profile"))
{
    await ProfileRestoreBenchmark.RunAsync(Option("--restores", 30));
}
else
{
    await PodStartBenchmark.RunAsync(starts);
    await UsablePageBenchmark.RunAsync(pages);
}

Console.WriteLine($"load after: {File.ReadAllText("/proc/loadavg").Trim()}");

int Option(string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
}
