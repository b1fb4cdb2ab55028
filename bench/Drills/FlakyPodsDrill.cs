using Microsoft.Extensions.DependencyInjection;
using UFBrowsers.BenchSupport;
using UFBrowsers.Grains.Pods;
using UFBrowsers.Sessions;
using UFBrowsers.TestSupport;

namespace UFBrowsers.Bench.Drills;

/// <summary>
/// HTTP session traffic on a pod provider that fails 20% of starts and kills 5% of browsers mid-session. The pool keeps no
/// warm pods, so every session waits for its own pod and a failed start reaches the client as a 503 (hold refunded).
/// </summary>
internal static class FlakyPodsDrill
{
    private const string Name = "flaky-pods";

    public static async Task<bool> RunAsync(DrillOptions options)
    {
        var pods = new FakePodProvider();
        FlakyPodProvider? flaky = null;
        await using var host = await BenchApiHost.StartAsync(DrillSettings.ForSilo("Memory", warmTarget: 0),
            sp => flaky = new FlakyPodProvider(pods, sp.GetRequiredService<IPodLossReporter>(), failShare: 0.20, killShare: 0.05));
        var (customers, keys) = await ApiDrillSetup.CustomersAsync(host, 32);
        using var http = host.NewClient();
        var client = new HttpSessionClient(http, keys);
        var traffic = new SessionTraffic(client, [.. customers.Select(c => c.Id)], options.Clients);
        var duration = TimeSpan.FromSeconds(Math.Min(options.Seconds, 20));
        await traffic.RunAsync(duration);
        Console.WriteLine($"[{Name}] traffic for {duration.TotalSeconds:F0} s: {traffic.Counts}; {client.ServiceUnavailable} answers 503, {client.ServerErrors} other 5xx");
        await Task.Delay(DrillSettings.RecoveryWait);

        var killed = flaky!.Killed;
        var podFailed = 0;
        foreach (var sessionId in killed.Values)
        {
            if (await host.Grains.GetGrain<ISessionGrain>(sessionId).Get() is { EndReason: EndReason.PodFailed })
            {
                podFailed++;
            }
        }

        var ok = Invariants.Report(Name, "faults", client.ServerErrors == 0,
            $"{flaky.Failed} pod starts failed, {killed.Count} browsers killed mid-session ({podFailed} of their sessions ended as pod_failed, " +
            $"the rest had been ended by the client first); {client.ServerErrors} 5xx other than 503");
        return await Invariants.CheckAsync(Name, host.Grains, customers,
            traffic.Sessions.ToDictionary(e => e.Key, e => (IReadOnlyCollection<string>)e.Value), [pods]) && ok;
    }
}
