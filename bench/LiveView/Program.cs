using System.Globalization;
using UFBrowsers.Bench.LiveView;

// Live view and recordings, on the product with real sandboxed pods (root) visiting a site in another network namespace:
//   frame latency:  a page change made by the automation to the first screencast frame at a viewer (loopback), p50/p99;
//   round trip:     the automation's Runtime.evaluate (each one changes the page) through the gateway, with one viewer
//                   attached vs none, blocks alternating in one run;
//   page load:      a page's load time in a recorded session vs an unrecorded one, alternating;
//   bytes stored:   compressed bytes stored per recorded minute of a busy page.
//   dotnet run -c Release --project bench/LiveView [-- --frames 100] [--evaluates 40000] [--loads 100] [--busy-seconds 60]
//     [--only frames|round-trip|load|bytes]
var frames = Option("--frames", 100);
var evaluates = Option("--evaluates", 40000);
var loads = Option("--loads", 100);
var busySeconds = Option("--busy-seconds", 60);
var only = Array.IndexOf(args, "--only") is var o and >= 0 && o + 1 < args.Length ? args[o + 1] : null;
Console.WriteLine($"cores: {Environment.ProcessorCount}; load: {File.ReadAllText("/proc/loadavg").Trim()}");

// Any --set Key=Value goes into the host's configuration (e.g. --set UFBrowsers:LiveView:MaxQuality=50).
var overrides = args.Select((a, i) => (a, i)).Where(p => p.a == "--set" && p.i + 1 < args.Length)
    .Select(p => args[p.i + 1].Split('=', 2)).ToDictionary(kv => kv[0], kv => (string?)kv[1]);
await using (var bench = await LiveViewBench.StartAsync(overrides))
{
    if (only is null or "frames") await bench.FrameLatencyAsync(frames);
    if (only is null or "round-trip") await bench.RoundTripAsync(evaluates);
    if (only is null or "load") await bench.PageLoadAsync(loads);
    if (only is null or "bytes") await bench.BusyPageBytesAsync(busySeconds);
}

Console.WriteLine($"load after: {File.ReadAllText("/proc/loadavg").Trim()}");

int Option(string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
}
