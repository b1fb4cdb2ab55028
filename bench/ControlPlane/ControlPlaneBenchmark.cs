using System.Diagnostics;
using UFBrowsers.BenchSupport;
using UFBrowsers.TestSupport;

namespace UFBrowsers.Bench.ControlPlane;

/// <summary>
/// POST /v1/sessions + POST /v1/sessions/{id}/end over loopback HTTP against the real API host, with instant pods;
/// once on memory storage and once on a throwaway PostgreSQL server.
/// </summary>
internal static class ControlPlaneBenchmark
{
    public static async Task RunMemoryAsync(BenchOptions options)
    {
        await using var host = await BenchApiHost.StartAsync(BenchSettings.ForSilo("Memory"), _ => new InstantPodProvider());
        await MeasureAsync("memory", host, options);
    }

    public static async Task RunPostgresAsync(BenchOptions options)
    {
        var postgres = new PostgresServer();
        await postgres.InitializeAsync();
        try
        {
            await using var host = await BenchApiHost.StartAsync(BenchSettings.ForSilo("Postgres", postgres.ConnectionString), _ => new InstantPodProvider());
            await MeasureAsync("postgres", host, options);
        }
        finally
        {
            await postgres.DisposeAsync();
        }
    }

    private static async Task MeasureAsync(string storage, BenchApiHost host, BenchOptions options)
    {
        var setup = Stopwatch.StartNew();
        var customers = await BenchCustomers.CreateAsync(host, options.Customers, credits: 10_000_000);
        Console.WriteLine($"[{storage}] {customers.Count} customers ready in {setup.Elapsed.TotalSeconds:F1} s; " +
                          $"{options.Clients} clients, warm-up {options.WarmupSeconds} s, {options.Runs} runs of {options.Seconds} s");
        using var http = host.NewClient();
        var load = new SessionLoad(http, customers, options.Clients);
        await load.RunAsync(TimeSpan.FromSeconds(options.WarmupSeconds));

        var runs = new List<RunResult>();
        for (var run = 1; run <= options.Runs; run++)
        {
            var result = await load.RunAsync(TimeSpan.FromSeconds(options.Seconds));
            runs.Add(result);
            Console.WriteLine($"[{storage}] run {run}: create p50 {P(result, 50):F2} ms, p99 {P(result, 99):F2} ms; " +
                              $"{result.PairsPerSecond:F0} pairs/s ({result.Pairs} pairs, {result.Failures} failures); {result.CpuMsPerPair:F2} CPU ms per pair; {result.MethodsCompiled} methods JIT-compiled during the run");
        }

        Console.WriteLine($"[{storage}] median of {runs.Count} runs: create p50 {Percentiles.Median(runs.Select(r => P(r, 50))):F2} ms, " +
                          $"p99 {Percentiles.Median(runs.Select(r => P(r, 99))):F2} ms; " +
                          $"{Percentiles.Median(runs.Select(r => r.PairsPerSecond)):F0} start+end pairs/s; {Percentiles.Median(runs.Select(r => r.CpuMsPerPair)):F2} CPU ms per pair " +
                          $"(process, clients included); failures {runs.Sum(r => r.Failures)}; load average {LoadAverage()}");
    }

    /// <summary>The 1-minute load average, to show how busy the shared machine was.</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    private static double P(RunResult result, double percentile) => Percentiles.Of(result.CreateLatenciesMs, percentile);
}
