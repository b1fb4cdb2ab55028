using System.Diagnostics;
using UFBrowsers.BenchSupport;
using UFBrowsers.TestSupport;

namespace UFBrowsers.Bench.Drills;

/// <summary>The API on PostgreSQL storage; PostgreSQL is killed for 10 s in the middle of HTTP session traffic.</summary>
internal static class PostgresOutageDrill
{
    private const string Name = "postgres-outage";

    private static readonly TimeSpan Before = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan After = TimeSpan.FromSeconds(10);

    public static async Task<bool> RunAsync(DrillOptions options)
    {
        var postgres = new PostgresServer();
        await postgres.InitializeAsync();
        try
        {
            var pods = new FakePodProvider();
            await using var host = await BenchApiHost.StartAsync(DrillSettings.ForSilo("Postgres", postgres.ConnectionString, warmTarget: 8), _ => pods);
            var (customers, keys) = await ApiDrillSetup.CustomersAsync(host, 32);
            using var http = host.NewClient();
            var client = new HttpSessionClient(http, keys);
            var traffic = new SessionTraffic(client, [.. customers.Select(c => c.Id)], options.Clients);
            var run = traffic.RunAsync(Before + Outage + After);

            await Task.Delay(Before);
            await postgres.StopAsync();
            var startedAtStop = Interlocked.Read(ref traffic.Counts.Started);
            Console.WriteLine($"[{Name}] PostgreSQL stopped (immediate) after {startedAtStop} sessions started");
            await Task.Delay(Outage);
            var startedDuringOutage = Interlocked.Read(ref traffic.Counts.Started) - startedAtStop;
            var restart = Stopwatch.StartNew();
            await postgres.StartAsync();
            var startedAtRestart = Interlocked.Read(ref traffic.Counts.Started);
            Console.WriteLine($"[{Name}] PostgreSQL started again in {restart.Elapsed.TotalSeconds:F1} s; {startedDuringOutage} sessions started during the outage");
            await run;
            var startedAfter = Interlocked.Read(ref traffic.Counts.Started) - startedAtRestart;
            Console.WriteLine($"[{Name}] traffic: {traffic.Counts}; {client.ServiceUnavailable} answers 503, {client.ServerErrors} other 5xx");

            await Task.Delay(DrillSettings.RecoveryWait);
            var ok = Invariants.Report(Name, "resumed", startedAfter > 0,
                $"{startedAfter} sessions started in the {After.TotalSeconds:F0} s after PostgreSQL came back");
            ok &= Invariants.Report(Name, "errors", client.ServerErrors == 0,
                $"{client.ServiceUnavailable} answers 503 (dependency down), {client.ServerErrors} other 5xx");
            return await Invariants.CheckAsync(Name, host.Grains, customers,
                traffic.Sessions.ToDictionary(e => e.Key, e => (IReadOnlyCollection<string>)e.Value), [pods]) && ok;
        }
        finally
        {
            await postgres.DisposeAsync();
        }
    }
}
