using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using UFBrowsers.BenchSupport;
using UFBrowsers.Grains.Pods;
using UFBrowsers.Pods;
using UFBrowsers.Silo.Pods.LocalChromium;
using UFBrowsers.TestSupport;

namespace UFBrowsers.Bench.PodStart;

/// <summary>Launch to DevTools answering, from the provider itself, sandbox on and off alternately.</summary>
internal static class PodStartBenchmark
{
    public static async Task RunAsync(int rounds)
    {
        var root = Path.Combine(Path.GetTempPath(), "ufb-bench-start-" + Environment.ProcessId);
        var sandboxed = await Provider(Path.Combine(root, "on"), sandbox: true);
        var unsandboxed = await Provider(Path.Combine(root, "off"), sandbox: false);
        try
        {
            await MeasureAsync(sandboxed, unsandboxed, rounds);
        }
        finally
        {
            await sandboxed.DisposeAsync();
            await unsandboxed.DisposeAsync();
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task MeasureAsync(LocalChromiumPodProvider sandboxed, LocalChromiumPodProvider unsandboxed, int rounds)
    {
        var on = new Samples("sandbox (bwrap, netns, socat bridge)");
        var off = new Samples("no sandbox (--no-sandbox, TCP)");

        for (var i = 0; i < 3; i++)
        {
            await StartOnce(sandboxed, null);
            await StartOnce(unsandboxed, null);
        }

        for (var i = 0; i < rounds; i++)
        {
            var order = i % 2 == 0 ? new[] { (sandboxed, on), (unsandboxed, off) } : [(unsandboxed, off), (sandboxed, on)];
            foreach (var (provider, samples) in order)
            {
                await StartOnce(provider, samples);
            }
        }

        Samples.Report("Pod start (launch to DevTools answering)", on, off, double.NaN);
        await RoundTripAsync(sandboxed, unsandboxed);
    }

    /// <summary>
    /// A CDP round trip (Runtime.evaluate of 1+1 in a page) on each pod's own endpoint: the sandbox's Unix socket and socat
    /// bridge against Chromium's TCP port, alternating; the cost of the bridge's extra hop.
    /// </summary>
    private static async Task RoundTripAsync(LocalChromiumPodProvider sandboxed, LocalChromiumPodProvider unsandboxed)
    {
        var onPod = await sandboxed.CreateAsync("bench", CancellationToken.None);
        var offPod = await unsandboxed.CreateAsync("bench", CancellationToken.None);
        await using (var onPage = await PodPage.OpenAsync(onPod))
        await using (var offPage = await PodPage.OpenAsync(offPod))
        {
            var on = new Samples("sandbox (Unix socket, socat)");
            var off = new Samples("no sandbox (TCP)");
            for (var i = 0; i < 1200; i++)
            {
                foreach (var (page, samples) in i % 2 == 0 ? new[] { (onPage, on), (offPage, off) } : [(offPage, off), (onPage, on)])
                {
                    var started = Stopwatch.GetTimestamp();
                    await page.EvaluateAsync("1+1");
                    if (i >= 200)
                    {
                        samples.Add(Stopwatch.GetElapsedTime(started));
                    }
                }
            }

            Samples.Report("CDP round trip on the pod's own endpoint (Runtime.evaluate)", on, off, double.NaN, microseconds: true);
        }

        await sandboxed.DeleteAsync(onPod, CancellationToken.None);
        await unsandboxed.DeleteAsync(offPod, CancellationToken.None);
    }

    private static async Task StartOnce(LocalChromiumPodProvider provider, Samples? samples)
    {
        var started = Stopwatch.GetTimestamp();
        var pod = await provider.CreateAsync("bench", CancellationToken.None);
        samples?.Add(Stopwatch.GetElapsedTime(started));
        await provider.DeleteAsync(pod, CancellationToken.None);
    }

    private static async Task<LocalChromiumPodProvider> Provider(string directory, bool sandbox)
    {
        // The warm-up off: this measures launch to DevTools answering, not the wait for a quiet browser that follows it.
        var options = new LocalChromiumOptions { PodsDirectory = directory, Sandbox = sandbox };
        options.WarmUp.Enabled = false;
        var provider = new LocalChromiumPodProvider(
            Options.Create(options),
            new NoLossReporter(),
            NullLogger<LocalChromiumPodProvider>.Instance);
        await provider.StartAsync(CancellationToken.None);
        return provider;
    }

    private sealed class NoLossReporter : IPodLossReporter
    {
        public Task ReportLostAsync(PodLease pod) => Task.CompletedTask;
    }
}
